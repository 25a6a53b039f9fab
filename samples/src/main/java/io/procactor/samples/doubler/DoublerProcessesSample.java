package io.procactor.samples.doubler;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One process per number, each doubling its number and printing its own pid; the node joins them
 * all. The Python original:
 *
 * <pre>
 * numbers = [0, 1, 2]
 * for index, number in enumerate(numbers):
 *     proc = Process(target=doubler, args=(number,))
 *     procs.append(proc)
 *     proc.start()
 * for proc in procs:
 *     proc.join()
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

    /** Python's {@code target=doubler}: does its work as soon as it starts, then stops, so its JVM exits. */
    public static final class DoublerTask extends Actor {
        private final int number;

        public DoublerTask(int number) {
            this.number = number;
        }

        @Override
        protected void preStart() {
            // Printed by the child itself, so the node's console shows it as "[doubler-N <pid>] ...".
            System.out.println(number + " doubled to " + number * 2 + " by process id: " + context().pid());
            context().stop();
        }

        @Override
        protected void onReceive(Object message) {
            unhandled(message);
        }
    }

    @Override
    public String name() {
        return "doubler-processes";
    }

    @Override
    public String description() {
        return "one process per number of " + numbers + ", each printing its double and its pid; the node joins them";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        List<ActorProcess> procs = new ArrayList<>();
        for (int number : numbers) {
            procs.add(system.spawnProcess(Props.create(DoublerTask.class, number), "doubler-" + number));
        }
        for (ActorProcess p : procs) {
            if (!p.join(Duration.ofSeconds(60))) {
                throw new IllegalStateException("process " + p.name() + " did not finish within 60 s");
            }
            ExitStatus status = p.exitStatus().orElseThrow();
            if (!status.isClean()) {
                throw new IllegalStateException("process " + p.name() + " failed: " + status);
            }
        }
        out.println("All " + procs.size() + " processes joined");
    }
}
