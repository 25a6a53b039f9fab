package io.procactor.samples.sharedcounter;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Nine processes add 50 each to one shared counter. The Python original shares memory:
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
 * Processes share no memory here. The counter is an actor, and the processes send it increments.
 * That is the actor answer to {@code Value} plus its lock: an actor handles one message at a
 * time, so no two increments interleave and none is lost, with no lock in sight. (In the original,
 * {@code v.value += 1} is a read and a write without {@code v.get_lock()}, so it can lose updates.)
 */
public final class SharedCounterSample implements Sample {
    private static final int PROCESSES = 9;
    private static final int INCREMENTS = 50;

    /** Add one. */
    public record Increment() {
    }

    /** Reply with the current value. */
    public record Get() {
    }

    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(Increment.class, 1110)
                .register(Get.class, 1111);
    }

    /** The shared value: lives in the node, owned by this actor alone. */
    public static final class Counter extends Actor {
        private int value;

        @Override
        protected void onReceive(Object message) {
            if (message instanceof Increment) {
                value++; // no lock: only this actor's one-at-a-time loop ever touches value
            } else if (message instanceof Get) {
                reply(value);
            } else {
                unhandled(message);
            }
        }
    }

    /** Python's target function, in a child process: 50 increments, then print the value it sees. */
    public static final class Updater extends Actor {
        private final ActorRef counter;
        private final int times;

        // The counter's ref travels to the child like any other constructor argument.
        public Updater(ActorRef counter, int times) {
            this.counter = counter;
            this.times = times;
        }

        @Override
        protected void preStart() {
            for (int i = 0; i < times; i++) {
                counter.tell(new Increment());
            }
            // Messages from one sender to one actor arrive in order, so the answer counts all 50 of
            // ours, plus whatever the other processes added meanwhile.
            counter.tell(new Get(), self());
        }

        @Override
        protected void onReceive(Object message) {
            if (message instanceof Integer value) {
                System.out.println(context().processName() + " data " + value);
                context().stop(); // the process's last actor stops: its JVM exits, join returns
            } else {
                unhandled(message);
            }
        }
    }

    @Override
    public String name() {
        return "shared-counter";
    }

    @Override
    public String description() {
        return PROCESSES + " processes add " + INCREMENTS + " each to a counter actor (Python's Value): no update is lost";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        out.println("Parent Process ID " + system.pid());
        ActorRef counter = system.actorOf(Props.create(Counter.class), "counter");

        List<ActorProcess> processes = new ArrayList<>();
        for (int i = 1; i <= PROCESSES; i++) {
            // Python's default process names: Process-1, Process-2, ...
            processes.add(system.spawnProcess(Props.create(Updater.class, counter, INCREMENTS), "Process-" + i));
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
        // Each process got its answer after all its increments were counted, and exited only then:
        // once all are joined, the counter has every increment.
        int total = counter.<Integer>ask(new Get(), Duration.ofSeconds(30)).get();
        out.println("Final Data in parent process " + total);
    }
}
