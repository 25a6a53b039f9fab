package io.procactor.samples.producerconsumer;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread and a process work side by side until the main program tells both to stop. The Python
 * original (its 1 s period scaled to 200 ms, its hour to about a second):
 *
 * <pre>
 * class Producer(threading.Thread):
 *     def run(self):
 *         while not self.stop_event.is_set():
 *             print("Producer is working...")
 *             time.sleep(1)
 *
 * class Consumer(multiprocessing.Process):
 *     def run(self):
 *         while not self.stop_event.is_set():
 *             print("Consumer is working...")
 *             time.sleep(1)
 *
 * tasks = [Producer(), Consumer()]
 * for t in tasks: t.start()
 * time.sleep(3600)
 * for task in tasks: task.stop()
 * for task in tasks: task.join()
 * </pre>
 *
 * The thread's event is a {@link CountDownLatch}, as {@code threading.Event} would be in Java. The
 * process shares no memory, so it gets no event object: it gets a stop message instead.
 */
public final class ProducerConsumerSample implements Sample {
    private static final Duration PERIOD = Duration.ofMillis(200);
    private static final Duration RUN_FOR = Duration.ofSeconds(1);

    /** The node's "set the event": stop working. */
    public record Stop() {
    }

    /** The consumer's timer tick; only ever sent to itself. */
    public record Tick() {
    }

    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(Stop.class, 1140)
                .register(Tick.class, 1141);
    }

    /**
     * Python's {@code Consumer.run}. An actor must not loop and sleep: it would never see the stop
     * message. It asks for a timer message instead, and works one round per tick.
     */
    public static final class Consumer extends Actor {
        private int rounds;
        private Future<?> timer;

        @Override
        protected void preStart() {
            work();
        }

        @Override
        protected void onReceive(Object message) {
            if (message instanceof Tick) {
                work();
            } else if (message instanceof Stop) {
                timer.cancel(false);
                System.out.println("Consumer stopped after " + rounds + " rounds");
                context().stop(); // the process's only actor stops: its JVM exits and join returns
            } else {
                unhandled(message);
            }
        }

        private void work() {
            rounds++;
            System.out.println("Consumer is working...");
            timer = context().scheduleOnce(PERIOD, new Tick());
        }
    }

    @Override
    public String name() {
        return "producer-consumer";
    }

    @Override
    public String description() {
        return "a producer thread and a consumer process work every " + PERIOD.toMillis()
                + " ms until told to stop (Python's Event)";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        CountDownLatch stopEvent = new CountDownLatch(1);
        AtomicInteger produced = new AtomicInteger();
        Thread producer = new Thread(() -> {
            try {
                // Waiting on the event doubles as the sleep: a stop is seen at once, not a period later.
                do {
                    produced.incrementAndGet();
                    out.println("Producer is working...");
                } while (!stopEvent.await(PERIOD.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "producer");

        ActorProcess consumer = system.spawnProcess(Props.create(Consumer.class), "consumer");
        // A JVM takes a moment to start: wait for it, so that both work for the same second.
        consumer.ready().get(60, TimeUnit.SECONDS);
        producer.start();

        Thread.sleep(RUN_FOR.toMillis()); // Python's time.sleep(3600), scaled down

        // Python's task.stop() for each, then task.join() for each.
        stopEvent.countDown();
        consumer.ref().tell(new Stop());
        producer.join();
        out.println("Producer stopped after " + produced.get() + " rounds");
        if (!consumer.join(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the consumer process did not exit within 30 s of its stop message");
        }
        ExitStatus status = consumer.exitStatus().orElseThrow();
        if (!status.isClean()) {
            throw new IllegalStateException("the consumer process failed: " + status);
        }
        out.println("Both stopped; the consumer process exited with code " + status.exitCode());
    }
}
