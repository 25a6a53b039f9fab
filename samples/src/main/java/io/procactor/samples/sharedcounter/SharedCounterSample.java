package io.procactor.samples.sharedcounter;

import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.FunctionProcess;
import io.procactor.SharedInt;
import io.procactor.SharedLock;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Nine processes add 50 each to one counter in shared memory, three times: as the Python original
 * does it, then with an atomic add, then under a lock. The original, line for line:
 *
 * <pre>
 * def generate_update_number(v: int):              static void generateUpdateNumber(SharedInt v) {
 *     for _ in range(50):                              for (int i = 0; i &lt; 50; i++) {
 *         v.value += 1                                     v.set(v.get() + 1);
 *                                                      }
 *     print(current_process().name, "data", v.value)   System.out.println("data " + v.get()); // shown as [name pid] data N
 *                                                  }
 * share_value = Value('i', 0)                      SharedInt shareValue = system.sharedInt("share_value", 0);
 * for _ in range(1, 10):                           for (int i = 1; i &lt; 10; i++) {
 *     p = Process(target=generate_update_number,       FunctionProcess&lt;Void&gt; p = system.process(
 *                 args=(share_value, ))                        SharedCounterSample::generateUpdateNumber, shareValue);
 *     processes.append(p)                              processes.add(p);
 *     p.start()                                        p.start();
 *                                                  }
 * for p in processes:                              for (FunctionProcess&lt;Void&gt; p : processes) {
 *     p.join()                                         p.join(WAIT);
 *                                                  }
 * print('Final Data in parent process',            out.println("Final Data in parent process " + shareValue.get());
 *       share_value.value)
 * </pre>
 *
 * {@code v.value += 1} is a read and then a write: when two processes read the same value, one
 * increment is lost, in Python as here, so the first total may fall short of 450 (how often
 * depends on timing). {@code addAndGet} is one atomic step; the lock makes the read and the write
 * one step for everyone else who takes the lock. Both always give 450.
 */
public final class SharedCounterSample implements Sample {
    private static final int INCREMENTS = 50;
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Python's {@code generate_update_number}, as the seed writes it: no lock. Runs in a child process. */
    static void generateUpdateNumber(SharedInt v) {
        for (int i = 0; i < INCREMENTS; i++) {
            v.set(v.get() + 1); // v.value += 1: another process may write between the get and the set
        }
        // print(current_process().name, "data", v.value): the node shows a child's output as "[name pid] ..."
        System.out.println("data " + v.get());
    }

    /** The same with one atomic add per increment. */
    static void generateUpdateNumberAtomically(SharedInt v) {
        for (int i = 0; i < INCREMENTS; i++) {
            v.addAndGet(1);
        }
        System.out.println("data " + v.get());
    }

    /** The same under the lock: Python's {@code with lock: v.value += 1}. */
    static void generateUpdateNumberWithLock(SharedInt v, SharedLock lock) {
        for (int i = 0; i < INCREMENTS; i++) {
            try (SharedLock.Held held = lock.lock(WAIT)) {
                v.set(v.get() + 1);
            }
        }
        System.out.println("data " + v.get());
    }

    @Override
    public String name() {
        return "shared-counter";
    }

    @Override
    public String description() {
        return "9 processes add " + INCREMENTS + " each to a shared Value: racing without a lock, then 450 "
                + "with an atomic add and with a Lock";
    }

    /** A function runs in another process only if the class it is written in is registered (docs/security.md). */
    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(SharedCounterSample.class);
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        out.println("Parent Process ID " + system.pid());

        out.println("-- v.value += 1, no lock (the original)");
        SharedInt shareValue = system.sharedInt("share_value", 0);
        List<FunctionProcess<Void>> processes = new ArrayList<>();
        for (int i = 1; i < 10; i++) {
            FunctionProcess<Void> p = system.process(SharedCounterSample::generateUpdateNumber, shareValue);
            processes.add(p);
            p.start();
        }
        joinAll(processes);
        out.println("Final Data in parent process " + shareValue.get());

        out.println("-- v.addAndGet(1)");
        SharedInt atomicValue = system.sharedInt("atomic_value", 0);
        processes.clear();
        for (int i = 1; i < 10; i++) {
            processes.add(system.run(SharedCounterSample::generateUpdateNumberAtomically, atomicValue));
        }
        joinAll(processes);
        out.println("Final Data in parent process " + atomicValue.get());

        out.println("-- with lock: v.value += 1");
        SharedInt lockedValue = system.sharedInt("locked_value", 0);
        SharedLock lock = system.lock("lock");
        processes.clear();
        for (int i = 1; i < 10; i++) {
            processes.add(system.run(SharedCounterSample::generateUpdateNumberWithLock, lockedValue, lock));
        }
        joinAll(processes);
        out.println("Final Data in parent process " + lockedValue.get());
    }

    /** Python's {@code for p in processes: p.join()}, with a time limit, and a failed process named. */
    private static void joinAll(List<FunctionProcess<Void>> processes) throws InterruptedException {
        for (FunctionProcess<Void> p : processes) {
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
