package io.procactor.samples.pipe;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Queue;

/**
 * One process counts and sends the result to its parent through a pipe. The Python original (its
 * 100,000,000 scaled down to 10,000,000):
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
 * The pipe is a pair: the parent's end is a {@link PipeEnd} actor in the node that keeps what
 * arrives until the parent receives it; the child's end is that actor's ref, which travels to the
 * child as a constructor argument. Sending is a tell, closing is one more message.
 */
public final class PipeSample implements Sample {
    private final int baseNum;

    public PipeSample() {
        this(10_000_000);
    }

    public PipeSample(int baseNum) {
        this.baseNum = baseNum;
    }

    /** {@code conn.send(item)}. */
    public record Send(Object item) {
    }

    /** {@code conn.close()}: nothing more will come. Acknowledged with {@link Closed} when it has a sender. */
    public record Close() {
    }

    /** The reply to a {@link Close}: everything sent before it is in the parent's end. */
    public record Closed() {
    }

    /** {@code conn.recv()}: ask it; the reply is the next item, or {@link Eof} once closed and empty. */
    public record Recv() {
    }

    /** Python's {@code EOFError}, as a reply: the other end closed and everything was received. */
    public record Eof() {
    }

    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(Send.class, 1130)
                .register(Close.class, 1131)
                .register(Recv.class, 1132)
                .register(Eof.class, 1133)
                .register(Closed.class, 1134);
    }

    /** The parent's end of the pipe. */
    public static final class PipeEnd extends Actor {
        private final Queue<Object> items = new ArrayDeque<>();
        private final Queue<ActorRef> receivers = new ArrayDeque<>();
        private boolean closed;

        @Override
        protected void onReceive(Object message) {
            if (message instanceof Send send) {
                ActorRef receiver = receivers.poll();
                if (receiver != null) {
                    receiver.tell(send.item(), self());
                } else {
                    items.add(send.item());
                }
            } else if (message instanceof Close) {
                closed = true;
                if (sender() != null) {
                    reply(new Closed());
                }
                receivers.forEach(r -> r.tell(new Eof(), self()));
                receivers.clear();
            } else if (message instanceof Recv) {
                if (!items.isEmpty()) {
                    reply(items.poll());
                } else if (closed) {
                    reply(new Eof());
                } else {
                    receivers.add(sender()); // recv() blocks until something is sent
                }
            } else {
                unhandled(message);
            }
        }
    }

    /** Python's {@code worker}, with the child's end of the pipe; stops once the pipe is closed. */
    public static final class Worker extends Actor {
        private final int id;
        private final int baseNum;
        private final ActorRef conn;

        public Worker(int id, int baseNum, ActorRef conn) {
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
            conn.tell(new Send(subTotal));
            // Arrives after the Send (one sender, one receiver: in order). Delivery is at most once,
            // and a process that exits right after a tell may take it along, so close with self()
            // as sender and exit once the parent's end confirms: like Python's conn.close(), which
            // returns when what was sent is in the pipe.
            conn.tell(new Close(), self());
            System.out.println("Process ID: " + context().pid() + ", Process Name: " + context().processName() + " ID: " + id);
            System.out.println("Result: " + subTotal);
        }

        @Override
        protected void onReceive(Object message) {
            if (message instanceof Closed) {
                context().stop();
            } else {
                unhandled(message);
            }
        }
    }

    @Override
    public String name() {
        return "pipe";
    }

    @Override
    public String description() {
        return "one process counts to " + baseNum + " and sends the result through a pipe (Python's Pipe): a ref to the parent's end";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        out.println("Parent Process ID " + system.pid());
        long start = System.nanoTime();

        ActorRef parentConn = system.actorOf(Props.create(PipeEnd.class), "parent-conn");
        ActorProcess t = system.spawnProcess(Props.create(Worker.class, 1, baseNum, parentConn), "1");
        if (!t.join(Duration.ofSeconds(60))) {
            throw new IllegalStateException("process 1 did not finish within 60 s");
        }
        ExitStatus status = t.exitStatus().orElseThrow();
        if (!status.isClean()) {
            throw new IllegalStateException("process 1 failed: " + status);
        }
        out.println(String.format(Locale.ROOT, "--- %.3f seconds ---", (System.nanoTime() - start) / 1e9));

        out.println("Main-Processing Total Count=" + recv(parentConn));
        // Python would raise EOFError here: the child closed its end and everything was received.
        out.println("parent_conn.recv() again: " + (recv(parentConn) instanceof Eof ? "EOF, the child closed the pipe" : "more data"));
        out.println("Main-Processing Done");
    }

    private static Object recv(ActorRef conn) throws Exception {
        return conn.ask(new Recv(), Duration.ofSeconds(30)).get();
    }
}
