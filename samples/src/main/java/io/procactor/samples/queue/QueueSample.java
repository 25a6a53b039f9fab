package io.procactor.samples.queue;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.ProcessQueue;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ten processes count and put their sub-totals into a queue; the parent adds them up. The Python
 * original, line for line beside the Java below:
 *
 * <pre>
 * def worker(id, baseNum, q):
 *     sub_total = 0
 *     for i in range(baseNum):
 *         sub_total += 1
 *     q.put(sub_total)
 *     print(f'Process ID: {process_id}, Process Name: {process_name} ID: {id}')
 *     print(f'Result: {sub_total}')
 *
 * q = Queue()
 * for i in range(10):
 *     t = Process(name=str(i), target=worker, args=(1, 10000000, q))
 *     processes.append(t)
 *     t.start()
 * for p in processes:
 *     p.join()
 * print("--- %s seconds ---" % (time.time() - start_time))
 * q.put('exit')
 * while True:
 *     tmp = q.get()
 *     if tmp == 'exit':
 *         break
 *     else:
 *         total += tmp
 * print('Main-Processing Total Count={}'.format(total))
 * </pre>
 *
 * The queue is a {@link ProcessQueue}: the node hosts it, and its handle goes to each process as a
 * constructor argument, as Python passes {@code q} in {@code args}.
 */
public final class QueueSample implements Sample {
    /** Bound of every blocking call: each put and get is quick, a join waits for the counting. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final int processes;
    private final int baseNum;

    public QueueSample() {
        this(10, 10_000_000);
    }

    public QueueSample(int processes, int baseNum) {
        this.processes = processes;
        this.baseNum = baseNum;
    }

    /** Python's {@code worker}: counts, puts the sub-total, prints, and stops (so its JVM exits). */
    public static final class Worker extends Actor {
        private final int id;
        private final int baseNum;
        private final ProcessQueue<Object> q;

        public Worker(int id, int baseNum, ProcessQueue<Object> q) {
            this.id = id;
            this.baseNum = baseNum;
            this.q = q;
        }

        @Override
        protected void preStart() throws Exception {
            long subTotal = 0;
            for (int i = 0; i < baseNum; i++) {
                subTotal += 1;
            }
            q.put(subTotal, TIMEOUT); // returns once the queue holds it, so exiting next loses nothing
            System.out.println("Process ID: " + context().pid() + ", Process Name: " + context().processName() + " ID: " + id);
            System.out.println("Result: " + subTotal);
            context().stop();
        }

        @Override
        protected void onReceive(Object message) {
            unhandled(message);
        }
    }

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public String description() {
        return processes + " processes count to " + baseNum + " and put their sub-totals into a queue (Python's Queue)";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        out.println("Parent Process ID " + system.pid());
        List<ActorProcess> started = new ArrayList<>();
        long start = System.nanoTime();

        ProcessQueue<Object> q = system.queue("q");

        for (int i = 0; i < processes; i++) {
            ActorProcess t = system.process(Props.create(Worker.class, 1, baseNum, q), String.valueOf(i));
            started.add(t);
            t.start();
        }
        for (ActorProcess p : started) {
            join(p);
        }
        out.println(String.format(Locale.ROOT, "--- %.3f seconds ---", (System.nanoTime() - start) / 1e9));

        q.put("exit", TIMEOUT);

        long total = 0;
        while (true) {
            Object tmp = q.take(TIMEOUT);
            if (tmp.equals("exit")) {
                break;
            } else {
                total += (Long) tmp;
            }
        }
        out.println("Main-Processing Total Count=" + total);
        out.println("Main-Processing Done");
    }

    private static void join(ActorProcess p) throws InterruptedException {
        if (!p.join(TIMEOUT)) {
            throw new IllegalStateException("process " + p.name() + " did not finish within " + TIMEOUT.toSeconds() + " s");
        }
        ExitStatus status = p.exitStatus().orElseThrow();
        if (!status.isClean()) {
            throw new IllegalStateException("process " + p.name() + " failed: " + status);
        }
    }
}
