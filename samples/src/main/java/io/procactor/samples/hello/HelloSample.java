package io.procactor.samples.hello;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;

/**
 * One task in one child process, started and joined. The Python original:
 *
 * <pre>
 * def task(a, b):
 *     print('Task in the Process.')
 *     print(a, b)
 *
 * p1 = mp.Process(target=task, args=(1, 2))
 * p1.start()
 * p1.join()
 * </pre>
 */
public final class HelloSample implements Sample {

    /**
     * Python's {@code target}: an actor that does its work as soon as it starts, then stops. A
     * child JVM whose last actor stops exits with code 0, which is what {@code join} waits for.
     */
    public static final class Task extends Actor {
        private final int a;
        private final int b;

        // Python's args=(1, 2): constructor arguments travel to the child process.
        public Task(int a, int b) {
            this.a = a;
            this.b = b;
        }

        @Override
        protected void preStart() {
            // The child's stdout reaches the node's console, prefixed with "[p1 <pid>]".
            System.out.println("Task in the Process.");
            System.out.println(a + " " + b);
            context().stop();
        }

        @Override
        protected void onReceive(Object message) {
            unhandled(message);
        }
    }

    @Override
    public String name() {
        return "hello";
    }

    @Override
    public String description() {
        return "one task with arguments (1, 2) in a child process, started and joined";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        ActorProcess p1 = system.process(Props.create(Task.class, 1, 2), "p1");
        p1.start();
        if (!p1.join(Duration.ofSeconds(30))) {
            throw new IllegalStateException("process p1 did not finish within 30 s");
        }
        ExitStatus status = p1.exitStatus().orElseThrow();
        out.println("p1 exited: " + status + ", exitcode " + status.exitCode());
    }
}
