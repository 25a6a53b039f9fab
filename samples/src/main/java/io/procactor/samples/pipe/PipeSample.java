package io.procactor.samples.pipe;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Pipe;
import io.procactor.PipeClosedException;
import io.procactor.PipeEnd;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * One process counts and sends the result to its parent through a pipe. The Python original, line
 * for line beside the Java below:
 *
 * <pre>
 * def worker(id, baseNum, conn):
 *     sub_total = 0
 *     for i in range(baseNum):
 *         sub_total += 1
 *     conn.send(sub_total)
 *     conn.close()
 *     print(f'Process ID: {process_id}, Process Name: {process_name} ID: {id}')
 *     print(f'Result: {sub_total}')
 *
 * parent_conn, child_conn = Pipe()
 * t = Process(name=str(1), target=worker, args=(1, 100000000, child_conn))
 * t.start()
 * t.join()
 * print("--- %s seconds ---" % (time.time() - start_time))
 * print('Main-Processing Total Count={}'.format(parent_conn.recv()))
 * </pre>
 *
 * The pipe is a {@link Pipe}: the node hosts it, and the child's {@link PipeEnd} goes to the child
 * as a constructor argument. After the child's {@code close()}, the parent's next {@code recv}
 * raises end of stream, as Python's {@code EOFError}.
 */
public final class PipeSample implements Sample {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final int baseNum;

    public PipeSample() {
        this(100_000_000);
    }

    public PipeSample(int baseNum) {
        this.baseNum = baseNum;
    }

    /** Python's {@code worker}, with the child's end of the pipe; stops when done, so its JVM exits. */
    public static final class Worker extends Actor {
        private final int id;
        private final int baseNum;
        private final PipeEnd<Long> conn;

        public Worker(int id, int baseNum, PipeEnd<Long> conn) {
            this.id = id;
            this.baseNum = baseNum;
            this.conn = conn;
        }

        @Override
        protected void preStart() {
            long subTotal = 0;
            for (int i = 0; i < baseNum; i++) {
                subTotal += 1;
            }
            conn.send(subTotal);
            conn.close();
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
        return "pipe";
    }

    @Override
    public String description() {
        return "one process counts to " + baseNum + " and sends the result through a pipe (Python's Pipe)";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        out.println("Parent Process ID " + system.pid());
        long start = System.nanoTime();

        Pipe<Long> pipe = system.pipe();
        PipeEnd<Long> parentConn = pipe.first();
        PipeEnd<Long> childConn = pipe.second();

        ActorProcess t = system.process(Props.create(Worker.class, 1, baseNum, childConn), String.valueOf(1));
        t.start();
        if (!t.join(TIMEOUT)) {
            throw new IllegalStateException("process 1 did not finish within " + TIMEOUT.toSeconds() + " s");
        }
        ExitStatus status = t.exitStatus().orElseThrow();
        if (!status.isClean()) {
            throw new IllegalStateException("process 1 failed: " + status);
        }
        out.println(String.format(Locale.ROOT, "--- %.3f seconds ---", (System.nanoTime() - start) / 1e9));

        out.println("Main-Processing Total Count=" + parentConn.recv(TIMEOUT));
        try {
            parentConn.recv(TIMEOUT); // Python raises EOFError here: the child closed its end
            out.println("parent_conn.recv() again: more data");
        } catch (PipeClosedException e) {
            out.println("parent_conn.recv() again: EOF, the child closed the pipe");
        }
        out.println("Main-Processing Done");
    }
}
