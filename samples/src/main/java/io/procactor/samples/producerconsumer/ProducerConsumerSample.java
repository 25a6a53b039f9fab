package io.procactor.samples.producerconsumer;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.ProcessEvent;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
 * Each task gets its own {@link ProcessEvent}, as in Python; the same class serves the thread
 * (Python's {@code threading.Event}) and the process ({@code multiprocessing.Event}). Waiting on
 * the event doubles as the sleep, so a task sees {@code stop()} at once rather than a period later.
 */
public final class ProducerConsumerSample implements Sample {
    private static final Duration PERIOD = Duration.ofMillis(200);
    private static final Duration RUN_FOR = Duration.ofSeconds(1);

    /** Python's {@code Producer(threading.Thread)}. */
    static final class Producer extends Thread {
        private final ProcessEvent stopEvent;
        private final PrintStream out;
        private int rounds;

        Producer(ActorSystem system, PrintStream out) {
            super("producer");
            this.stopEvent = system.event("producer-stop");
            this.out = out;
        }

        void stopTask() {
            stopEvent.set();
        }

        @Override
        public void run() {
            while (!stopEvent.isSet()) {
                rounds++;
                out.println("Producer is working...");
                stopEvent.await(PERIOD); // time.sleep(1)
            }
            out.println("Producer stopped after " + rounds + " rounds");
        }
    }

    /**
     * Python's {@code Consumer(multiprocessing.Process)}, as the actor of a process of its own. Its
     * loop runs on the first message (sent by itself), so that the process counts as started.
     */
    public static final class Consumer extends Actor {
        private final ProcessEvent stopEvent;

        public Consumer(ProcessEvent stopEvent) {
            this.stopEvent = stopEvent;
        }

        @Override
        protected void preStart() {
            self().tell("run");
        }

        @Override
        protected void onReceive(Object message) throws Exception {
            int rounds = 0;
            while (!stopEvent.isSet()) {
                rounds++;
                System.out.println("Consumer is working...");
                stopEvent.await(PERIOD); // time.sleep(1)
            }
            System.out.println("Consumer stopped after " + rounds + " rounds");
            context().stop(); // the process's only actor stops: its JVM exits and join returns
        }
    }

    @Override
    public String name() {
        return "producer-consumer";
    }

    @Override
    public String description() {
        return "a producer thread and a consumer process work every " + PERIOD.toMillis()
                + " ms until their Events are set (Python's Event)";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        Producer producer = new Producer(system, out);
        ProcessEvent consumerStop = system.event("consumer-stop");
        ActorProcess consumer = system.process(Props.create(Consumer.class, consumerStop), "consumer");

        consumer.start();
        // A JVM takes a moment to start: wait for it, so that both work for the same second.
        consumer.ready().get(60, TimeUnit.SECONDS);
        producer.start();

        Thread.sleep(RUN_FOR.toMillis()); // Python's time.sleep(3600), scaled down

        producer.stopTask();
        consumerStop.set();

        producer.join();
        if (!consumer.join(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the consumer process did not exit within 30 s of its stop event");
        }
        ExitStatus status = consumer.exitStatus().orElseThrow();
        if (!status.isClean()) {
            throw new IllegalStateException("the consumer process failed: " + status);
        }
        out.println("Both stopped; the consumer process exited with code " + status.exitCode());
    }
}
