package io.procactor.samples.doubler;

import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.FunctionProcess;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One process per number, each doubling its number and printing its own pid; the node joins them
 * all. The Python original, line for line:
 *
 * <pre>
 * def doubler(number):                               static void doubler(int number) {
 *     result = number * 2                                int result = number * 2;
 *     proc = os.getpid()                                 long proc = ProcessHandle.current().pid();
 *     print('{0} doubled to {1} by process id: {2}'      System.out.println(number + " doubled to " + result
 *           .format(number, result, proc))                       + " by process id: " + proc);
 *                                                    }
 * numbers = [0, 1, 2]                                List&lt;Integer&gt; numbers = List.of(0, 1, 2);
 * procs = []                                         List&lt;FunctionProcess&lt;Void&gt;&gt; procs = new ArrayList&lt;&gt;();
 * for index, number in enumerate(numbers):           for (int number : numbers) {
 *     proc = Process(target=doubler, args=(number,))     FunctionProcess&lt;Void&gt; proc = system.process(DoublerProcessesSample::doubler, number);
 *     procs.append(proc)                                 procs.add(proc);
 *     proc.start()                                       proc.start();
 *                                                    }
 * for proc in procs:                                 for (FunctionProcess&lt;Void&gt; proc : procs) {
 *     proc.join()                                        proc.join();
 *                                                    }
 * </pre>
 */
public final class DoublerProcessesSample implements Sample {
    private final List<Integer> numbers;

    public DoublerProcessesSample() {
        this(List.of(0, 1, 2));
    }

    public DoublerProcessesSample(List<Integer> numbers) {
        this.numbers = List.copyOf(numbers);
    }

    /** Python's {@code target=doubler}: printed by the child itself, so the node's console shows it as "[doubler-N pid] ...". */
    static void doubler(int number) {
        int result = number * 2;
        long proc = ProcessHandle.current().pid();
        System.out.println(number + " doubled to " + result + " by process id: " + proc);
    }

    @Override
    public String name() {
        return "doubler-processes";
    }

    @Override
    public String description() {
        return "one process per number of " + numbers + ", each printing its double and its pid; the node joins them";
    }

    /** Registers this package's classes, so the functions written in them may run in child processes (docs/security.md). */
    @Override
    public void register(ActorSystem.Builder builder) {
        builder.registerPackage(DoublerProcessesSample.class.getPackageName());
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        List<FunctionProcess<Void>> procs = new ArrayList<>();
        for (int number : numbers) {
            FunctionProcess<Void> proc = system.process(DoublerProcessesSample::doubler, number);
            procs.add(proc);
            proc.start();
        }
        for (FunctionProcess<Void> proc : procs) {
            ExitStatus status = proc.join();
            if (!status.isClean()) {
                throw new IllegalStateException("process " + proc.name() + " failed: " + status);
            }
        }
        out.println("All " + procs.size() + " processes joined");
    }
}
