package io.procactor.samples.queue;

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
import java.util.Locale;
import java.util.concurrent.ExecutionException;

/**
 * Ten processes count and put their sub-totals into a queue; the parent adds them up. The Python
 * original (its 10,000,000 scaled down to 1,000,000):
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
 * The queue is a {@link QueueActor} in the node; each process gets its ref.
 */
public final class QueueSample implements Sample {
    /** Every sub-total was stored before its process exited: a get never waits long. */
    private static final Duration GET_TIMEOUT = Duration.ofSeconds(30);
    private final int processes;
    private final int baseNum;

    public QueueSample() {
        this(10, 1_000_000);
    }

    public QueueSample(int processes, int baseNum) {
        this.processes = processes;
        this.baseNum = baseNum;
    }

    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(QueueActor.Put.class, 1120)
                .register(QueueActor.Get.class, 1121)
                .register(QueueActor.Stored.class, 1122);
    }

    /** Python's {@code worker}: counts in preStart, puts the sub-total, stops once it is stored (so its JVM exits). */
    public static final class Worker extends Actor {
        private final int id;
        private final int baseNum;
        private final ActorRef q;

        public Worker(int id, int baseNum, ActorRef q) {
            this.id = id;
            this.baseNum = baseNum;
            this.q = q;
        }

        @Override
        protected void preStart() {
            long subTotal = 0;
            for (int i = 0; i < baseNum; i++) {
                subTotal += 1;
            }
            // Delivery is at most once, and a process that exits right after a tell may take it
            // along: put with self() as sender and exit only once the queue confirms. (Python's
            // Queue likewise keeps an exiting process until its feeder thread has flushed.)
            q.tell(new QueueActor.Put(subTotal), self());
            System.out.println("Process ID: " + context().pid() + ", Process Name: " + context().processName() + " ID: " + id);
            System.out.println("Result: " + subTotal);
        }

        @Override
        protected void onReceive(Object message) {
            if (message instanceof QueueActor.Stored) {
                context().stop();
            } else {
                unhandled(message);
            }
        }
    }

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public String description() {
        return processes + " processes count to " + baseNum + " and put their sub-totals into a queue actor (Python's Queue)";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        out.println("Parent Process ID " + system.pid());
        long start = System.nanoTime();
        ActorRef q = system.actorOf(Props.create(QueueActor.class), "q");

        List<ActorProcess> started = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            started.add(system.spawnProcess(Props.create(Worker.class, 1, baseNum, q), String.valueOf(i)));
        }
        for (ActorProcess p : started) {
            if (!p.join(Duration.ofSeconds(60))) {
                throw new IllegalStateException("process " + p.name() + " did not finish within 60 s");
            }
            ExitStatus status = p.exitStatus().orElseThrow();
            if (!status.isClean()) {
                throw new IllegalStateException("process " + p.name() + " failed: " + status);
            }
        }
        out.println(String.format(Locale.ROOT, "--- %.3f seconds ---", (System.nanoTime() - start) / 1e9));

        // Python puts an 'exit' sentinel and reads up to it. We know how many sub-totals to expect,
        // so we get exactly that many; each get waits until an item is there, whatever the timing.
        long total = 0;
        for (int i = 0; i < processes; i++) {
            try {
                total += q.<Long>ask(new QueueActor.Get(), GET_TIMEOUT).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("only " + i + " of " + processes + " sub-totals arrived", e.getCause());
            }
        }
        out.println("Main-Processing Total Count=" + total);
        out.println("Main-Processing Done");
    }
}
