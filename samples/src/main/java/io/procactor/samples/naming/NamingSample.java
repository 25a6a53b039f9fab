package io.procactor.samples.naming;

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
import java.util.concurrent.ThreadLocalRandom;

/**
 * Named processes that report who they are: their pid, their name and their parent's pid. The
 * Python original:
 *
 * <pre>
 * def square(n):
 *     time.sleep(random.randint(1, 3))
 *     print(f'Process ID: {os.getpid()}, Process Name: {current_process().name}')
 *     print(f'Result of {n}, square: {n * n}')
 *
 * print(f'Parent Process ID: {os.getpid()}')
 * for i in range(1, 200):
 *     t = Process(name=str(i), target=square, args=(i,))
 *     processes.append(t)
 *     t.start()
 * for process in processes:
 *     process.join()
 * print('Main-Processing Done')
 * </pre>
 */
public final class NamingSample implements Sample {
    private final int count;

    /** Five processes: each is a JVM, so 199 of them want a big machine. */
    public NamingSample() {
        this(5);
    }

    public NamingSample(int count) {
        this.count = count;
    }

    public static final class Square extends Actor {
        private final int n;

        public Square(int n) {
            this.n = n;
        }

        @Override
        protected void preStart() throws InterruptedException {
            // A random pause, as in the original, so the processes finish in no particular order.
            Thread.sleep(ThreadLocalRandom.current().nextLong(100, 1000));
            System.out.println("Process ID: " + context().pid() + ", Process Name: " + context().processName()
                    + ", Parent Process ID: " + context().parentPid());
            System.out.println("Result of " + n + ", square: " + n * n);
            context().stop();
        }

        @Override
        protected void onReceive(Object message) {
            unhandled(message);
        }
    }

    @Override
    public String name() {
        return "naming";
    }

    @Override
    public String description() {
        return count + " processes named 1.." + count + " print their pid, name, parent pid and a square";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        out.println("Parent Process ID: " + system.pid());
        List<ActorProcess> processes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            // Python's Process(name=str(i), ...): the process name is also its actor's name.
            processes.add(system.spawnProcess(Props.create(Square.class, i), String.valueOf(i)));
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
        out.println("Main-Processing Done");
    }
}
