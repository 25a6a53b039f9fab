package io.procactor.samples.sleepers;

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
import java.util.Locale;

/**
 * Ten processes sleep in parallel, so the whole run takes about one sleep, not ten. The Python
 * original:
 *
 * <pre>
 * def do_something(seconds):
 *     print(f"Sleeping {seconds} second(s)...")
 *     time.sleep(seconds)
 *     print("Done sleeping...")
 *
 * for _ in range(10):
 *     p = multiprocessing.Process(target=do_something, args=[1.5])
 *     p.start()
 *     processes.append(p)
 * for process in processes:
 *     process.join()
 * print(f"Finished in {round(finish - start, 4)} second(s)")
 * </pre>
 */
public final class SleepersSample implements Sample {
    private final int count;
    private final double seconds;

    public SleepersSample() {
        this(10, 1.5);
    }

    public SleepersSample(int count, double seconds) {
        this.count = count;
        this.seconds = seconds;
    }

    /** A task process: sleeps, then stops, so its JVM exits. */
    public static final class Sleeper extends Actor {
        private final double seconds;

        public Sleeper(double seconds) {
            this.seconds = seconds;
        }

        @Override
        protected void preStart() throws InterruptedException {
            System.out.println("Sleeping " + seconds + " second(s)...");
            // Blocking is fine here: this JVM hosts nothing else. An actor that shares its
            // process with others should not block its dispatcher thread like this.
            Thread.sleep(Math.round(seconds * 1000));
            System.out.println("Done sleeping...");
            context().stop();
        }

        @Override
        protected void onReceive(Object message) {
            unhandled(message);
        }
    }

    @Override
    public String name() {
        return "sleepers";
    }

    @Override
    public String description() {
        return count + " processes sleep " + seconds + " s each, in parallel; prints the total time";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        long start = System.nanoTime();
        List<ActorProcess> processes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            processes.add(system.spawnProcess(Props.create(Sleeper.class, seconds), "sleeper-" + i));
        }
        for (ActorProcess p : processes) {
            if (!p.join(Duration.ofSeconds(60))) {
                throw new IllegalStateException("process " + p.name() + " did not finish within 60 s");
            }
            ExitStatus status = p.exitStatus().orElseThrow();
            if (!status.isClean()) {
                throw new IllegalStateException("process " + p.name() + " failed: " + status);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        // JVM start-up is part of the figure: that is the price of a process per task.
        out.println(String.format(Locale.ROOT, "Finished in %.2f second(s)", elapsed));
    }
}
