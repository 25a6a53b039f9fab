package io.procactor.samples.sharedcounter;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.SharedInt;
import io.procactor.SharedLock;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Nine processes add 50 each to one counter in shared memory, three times: as the Python original
 * does it, then with an atomic add, then under a lock.
 *
 * <pre>
 * def generate_update_number(v: int):
 *     for _ in range(50):
 *         v.value += 1
 *     print(current_process().name, "data", v.value)
 *
 * share_value = Value('i', 0)
 * for _ in range(1, 10):
 *     p = Process(target=generate_update_number, args=(share_value, ))
 *     processes.append(p)
 *     p.start()
 * for p in processes:
 *     p.join()
 * print('Final Data in parent process', share_value.value)
 * </pre>
 *
 * {@code v.value += 1} is a read and then a write: when two processes read the same value, one
 * increment is lost, in Python as here, so the first total may fall short of 450 (how often
 * depends on timing). {@code addAndGet} is one atomic step; the lock makes the read and the write
 * one step for everyone else who takes the lock. Both always give 450.
 */
public final class SharedCounterSample implements Sample {
    private static final int PROCESSES = 9;
    private static final int INCREMENTS = 50;
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Python's {@code generate_update_number}: 50 increments, then print the value this process sees. */
    public abstract static class Updater extends Actor {
        protected final SharedInt v;

        protected Updater(SharedInt v) {
            this.v = v;
        }

        /** One {@code v.value += 1}. */
        protected abstract void increment();

        @Override
        protected void preStart() {
            for (int i = 0; i < INCREMENTS; i++) {
                increment();
            }
            System.out.println(context().processName() + " data " + v.get());
            context().stop(); // the process's only actor stops: its JVM exits, join returns
        }

        @Override
        protected void onReceive(Object message) {
            unhandled(message);
        }
    }

    /** As the seed writes it, with no lock. */
    public static final class Racy extends Updater {
        public Racy(SharedInt v) {
            super(v);
        }

        @Override
        protected void increment() {
            v.set(v.get() + 1); // v.value += 1: another process may write between the get and the set
        }
    }

    /** One atomic add. */
    public static final class Atomic extends Updater {
        public Atomic(SharedInt v) {
            super(v);
        }

        @Override
        protected void increment() {
            v.addAndGet(1);
        }
    }

    /** Under the lock: Python's {@code with lock: v.value += 1}. */
    public static final class Locked extends Updater {
        private final SharedLock lock;

        public Locked(SharedInt v, SharedLock lock) {
            super(v);
            this.lock = lock;
        }

        @Override
        protected void increment() {
            try (SharedLock.Held held = lock.lock(WAIT)) {
                v.set(v.get() + 1);
            }
        }
    }

    @Override
    public String name() {
        return "shared-counter";
    }

    @Override
    public String description() {
        return PROCESSES + " processes add " + INCREMENTS + " each to a shared Value: racing without a lock, then 450 "
                + "with an atomic add and with a Lock";
    }

    private int processCount; // Python numbers its default process names across the whole run

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        out.println("Parent Process ID " + system.pid());

        out.println("-- v.value += 1, no lock (the original)");
        SharedInt shareValue = system.sharedInt("share_value", 0);
        runProcesses(system, Props.create(Racy.class, shareValue));
        out.println("Final Data in parent process " + shareValue.get());

        out.println("-- v.addAndGet(1)");
        SharedInt atomicValue = system.sharedInt("atomic_value", 0);
        runProcesses(system, Props.create(Atomic.class, atomicValue));
        out.println("Final Data in parent process " + atomicValue.get());

        out.println("-- with lock: v.value += 1");
        SharedInt lockedValue = system.sharedInt("locked_value", 0);
        SharedLock lock = system.lock("lock");
        runProcesses(system, Props.create(Locked.class, lockedValue, lock));
        out.println("Final Data in parent process " + lockedValue.get());
    }

    private void runProcesses(ActorSystem system, Props target) throws InterruptedException {
        List<ActorProcess> processes = new ArrayList<>();
        for (int i = 1; i < 10; i++) {
            ActorProcess p = system.process(target, "Process-" + ++processCount);
            processes.add(p);
            p.start();
        }
        for (ActorProcess p : processes) {
            if (!p.join(WAIT)) {
                throw new IllegalStateException("process " + p.name() + " did not finish within " + WAIT.toSeconds() + " s");
            }
            ExitStatus status = p.exitStatus().orElseThrow();
            if (!status.isClean()) {
                throw new IllegalStateException("process " + p.name() + " failed: " + status);
            }
        }
    }
}
