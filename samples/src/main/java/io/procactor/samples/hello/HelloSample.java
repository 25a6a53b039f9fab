package io.procactor.samples.hello;

import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.FunctionProcess;
import io.procactor.samples.Sample;
import java.io.PrintStream;

/**
 * One task in one child process, started and joined. The Python original, line for line:
 *
 * <pre>
 * def task(a, b):                                  static void task(int a, int b) {
 *     print('Task in the Process.')                    System.out.println("Task in the Process.");
 *     print(a, b)                                      System.out.println(a + " " + b);
 *                                                  }
 * p1 = mp.Process(target=task, args=(1, 2))        FunctionProcess&lt;Void&gt; p1 = system.process(HelloSample::task, 1, 2);
 * p1.start()                                       p1.start();
 * p1.join()                                        p1.join();
 * </pre>
 */
public final class HelloSample implements Sample {

    /** Python's {@code target}: runs in the child process, whose stdout reaches the node's console prefixed with "[task-N pid]". */
    static void task(int a, int b) {
        System.out.println("Task in the Process.");
        System.out.println(a + " " + b);
    }

    @Override
    public String name() {
        return "hello";
    }

    @Override
    public String description() {
        return "one task with arguments (1, 2) in a child process, started and joined";
    }

    /** A function runs in another process only if the class it is written in is registered (docs/security.md). */
    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(HelloSample.class);
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        FunctionProcess<Void> p1 = system.process(HelloSample::task, 1, 2);
        p1.start();
        ExitStatus status = p1.join();
        out.println(p1.name() + " exited: " + status + ", exitcode " + status.exitCode());
    }
}
