package io.procactor.bench;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ChannelClosedException;
import io.procactor.Pipe;
import io.procactor.PipeClosedException;
import io.procactor.PipeEnd;
import io.procactor.ProcessQueue;
import io.procactor.Props;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * Queue throughput with 2 producer and 2 consumer processes, and pipe round trip between the node
 * and a child, beside Python's {@code multiprocessing.Queue} and {@code Pipe} measured in the same
 * run ({@code samples/src/main/python/channels_bench.py}, when {@code python3} is on the PATH).
 * Run with {@code bin/procactor bench channels}.
 *
 * <p>Threading: one thread runs everything; the workers are actors in child JVMs.
 */
public final class ChannelBenchmarks {
    private static final Duration LONG = Duration.ofMinutes(5);
    private final PrintStream out;

    public ChannelBenchmarks(PrintStream out) {
        this.out = out;
    }

    /** Put {@code count} Integers, one per put or {@code batch} per {@code putAll}; replies "done". */
    public record Produce(ProcessQueue<Integer> q, int count, int batch) {
    }

    /** Take until the queue is closed, one per take or up to {@code batch} per {@code takeUpTo}; replies the count. */
    public record Consume(ProcessQueue<Integer> q, int batch) {
    }

    /** Send back through {@code end} what arrives at it, until end of stream; replies the count. */
    public record Echo(PipeEnd<Integer> end) {
    }

    /** A producer, consumer or echo, in its own JVM. */
    public static final class Worker extends Actor {
        @Override
        protected void onReceive(Object message) throws Exception {
            if (message instanceof Produce p) {
                if (p.batch() == 1) {
                    for (int i = 0; i < p.count(); i++) {
                        p.q().put(i, LONG);
                    }
                } else {
                    for (int i = 0; i < p.count(); i += p.batch()) {
                        p.q().putAll(IntStream.range(i, Math.min(p.count(), i + p.batch())).boxed().toList(), LONG);
                    }
                }
                reply("done");
            } else if (message instanceof Consume c) {
                long n = 0;
                try {
                    while (true) {
                        n += c.batch() == 1 ? (c.q().take(LONG) != null ? 1 : 0) : c.q().takeUpTo(c.batch(), LONG).size();
                    }
                } catch (ChannelClosedException e) {
                    reply(n);
                }
            } else if (message instanceof Echo e) {
                long n = 0;
                try {
                    while (true) {
                        e.end().send(e.end().recv(LONG));
                        n++;
                    }
                } catch (PipeClosedException end) {
                    reply(n);
                }
            } else if (message instanceof Integer n) {
                reply(n);
            } else {
                unhandled(message);
            }
        }
    }

    public void run() throws Exception {
        try (ActorSystem system = ActorSystem.builder("bench-channels").register(Produce.class, Consume.class, Echo.class).build()) {
            List<ActorProcess> workers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                workers.add(system.spawnProcess(Props.create(Worker.class), "w" + i));
            }
            for (ActorProcess w : workers) {
                w.ready().get();
            }
            queue(system, workers, PER_PRODUCER, 1, 2, 3); // as many items as Python's run
            queue(system, workers, 2_000_000, 1000, 1, 3);
            pipe(system, workers.get(0));
        }
        python();
    }

    private int queues;
    /**
     * Items each producer puts in a round of the one-item queue figure, and in Python's: 400,000 a
     * round, long enough (about half a second here) that the figure does not depend on how the
     * scheduler happened to place 4 processes on 2 cores for 100 ms.
     */
    private static final int PER_PRODUCER = 200_000;
    private static final int IDLE_ROUND_TRIPS = 1000;
    private static final int IDLE_WARMUPS = 300;
    private static final long IDLE_GAP_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(2);

    /** 2 producers put {@code perProducer} items each while 2 consumers take them; items/s from first put to last take. */
    private void queue(ActorSystem system, List<ActorProcess> w, int perProducer, int batch, int warmups, int rounds) throws Exception {
        double[] rates = new double[rounds];
        for (int r = -warmups; r < rounds; r++) {
            ProcessQueue<Integer> q = system.queue("bench" + (++queues), Math.max(1000, 2 * batch), Integer.class);
            long t0 = System.nanoTime();
            CompletableFuture<Long> c1 = w.get(2).ref().ask(new Consume(q, batch), LONG);
            CompletableFuture<Long> c2 = w.get(3).ref().ask(new Consume(q, batch), LONG);
            CompletableFuture<Object> p1 = w.get(0).ref().ask(new Produce(q, perProducer, batch), LONG);
            CompletableFuture<Object> p2 = w.get(1).ref().ask(new Produce(q, perProducer, batch), LONG);
            p1.get();
            p2.get();
            q.close();
            long taken = c1.get() + c2.get();
            double s = (System.nanoTime() - t0) / 1e9;
            if (taken != 2L * perProducer) {
                throw new AssertionError("queue lost or duplicated items: took " + taken + " of " + 2L * perProducer);
            }
            if (r >= 0) {
                rates[r] = taken / s;
            }
        }
        Arrays.sort(rates);
        out.printf("queue 2 producers + 2 consumers (4 JVMs), %,d items, %s: best %,.0f items/s, median %,.0f items/s%n",
                2L * perProducer, batch == 1 ? "one item per put/take" : batch + " items per putAll/takeUpTo",
                rates[rounds - 1], rates[rounds / 2]);
    }

    /** The node sends an Integer through a pipe, a child sends it back; one in flight. */
    private void pipe(ActorSystem system, ActorProcess echo) throws Exception {
        Histogram asks = new Histogram(java.util.concurrent.TimeUnit.SECONDS.toNanos(10), 3);
        for (int i = 0; i < 70_000; i++) { // the floor under a pipe's round trip, in this same run
            long t0 = System.nanoTime();
            echo.ref().ask(i, LONG).get();
            if (i >= 20_000) {
                asks.recordValue(System.nanoTime() - t0);
            }
        }
        out.printf("for reference, plain ask round trip node -> child -> node (50000): p50 %.1f us, p99 %.1f us%n",
                asks.getValueAtPercentile(50) / 1e3, asks.getValueAtPercentile(99) / 1e3);
        out.printf("for reference, the floor: raw unix-socket 1-byte ping-pong between two threads (JDK NIO): p50 %.1f us%n",
                rawUnixSocketRoundTripMicros());
        Pipe<Integer> pipe = system.pipe();
        PipeEnd<Integer> mine = pipe.first();
        CompletableFuture<Long> echoed = echo.ref().ask(new Echo(pipe.second()), LONG);
        // warm-up: 20,000 round trips and at least 2 s, so that the JIT compilers (which ran for the asks
        // above) are done: while they run, node and child share the other CPU and every round trip is two
        // context switches (about 8 us here) instead of two CPUs handing over through shared memory
        long warm = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
        for (int i = 0; i < 20_000 || System.nanoTime() - warm < 0; i++) {
            mine.send(i);
            mine.recv(LONG);
        }
        Histogram h = new Histogram(java.util.concurrent.TimeUnit.SECONDS.toNanos(10), 3);
        for (int i = 0; i < 50_000; i++) {
            long t0 = System.nanoTime();
            mine.send(i);
            mine.recv(LONG);
            h.recordValue(System.nanoTime() - t0);
        }
        // sporadic traffic: the child has waited 2 ms when the item comes (asleep on the ring, not spinning)
        Histogram idle = new Histogram(java.util.concurrent.TimeUnit.SECONDS.toNanos(10), 3);
        for (int i = -IDLE_WARMUPS; i < IDLE_ROUND_TRIPS; i++) { // warm-up: the first sleeps open the doorbells and compile
            java.util.concurrent.locks.LockSupport.parkNanos(IDLE_GAP_NANOS); // the gap being measured, not a synchronisation
            long t0 = System.nanoTime();
            mine.send(i);
            mine.recv(LONG);
            if (i >= 0) {
                idle.recordValue(System.nanoTime() - t0);
            }
        }
        mine.close();
        echoed.get();
        out.printf("pipe round trip node -> child -> node, one in flight (50000): p50 %.1f us, p99 %.1f us, p99.9 %.1f us%n",
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3);
        out.printf("pipe round trip after 2 ms idle (%d): p50 %.1f us, p99 %.1f us (p90 %.1f, p95 %.1f, max %.1f)%n", IDLE_ROUND_TRIPS,
                idle.getValueAtPercentile(50) / 1e3, idle.getValueAtPercentile(99) / 1e3, idle.getValueAtPercentile(90) / 1e3,
                idle.getValueAtPercentile(95) / 1e3, idle.getMaxValue() / 1e3);
    }

    /** Python's figures, same machine, same run. */
    private void python() throws Exception {
        Path script = Path.of(System.getProperty("procactor.home", "."), "samples/src/main/python/channels_bench.py");
        if (!Files.exists(script)) {
            out.println("python: " + script + " not found; run from the repository root");
            return;
        }
        Process p;
        try {
            p = new ProcessBuilder("python3", script.toString(), Integer.toString(PER_PRODUCER)).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            out.println("python: python3 not found on the PATH (" + e.getMessage() + ")");
            return;
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            r.lines().forEach(out::println);
        }
        p.waitFor();
    }

    /** The socket's own floor, measured in this run: a 1-byte ping-pong between two threads over a Unix socket. */
    private static double rawUnixSocketRoundTripMicros() throws Exception {
        Path dir = Files.createTempDirectory("procactor-bench");
        Path sock = dir.resolve("raw.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread echo = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer b = ByteBuffer.allocate(1);
                    while (c.read(b) > 0) {
                        b.flip();
                        c.write(b);
                        b.clear();
                    }
                } catch (IOException e) {
                    // client closed
                }
            });
            echo.start();
            long[] samples = new long[50_000];
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                ByteBuffer b = ByteBuffer.allocate(1);
                for (int i = 0; i < 70_000; i++) {
                    long t0 = System.nanoTime();
                    b.clear().put((byte) 1).flip();
                    c.write(b);
                    b.clear();
                    c.read(b);
                    if (i >= 20_000) {
                        samples[i - 20_000] = System.nanoTime() - t0;
                    }
                }
            }
            echo.join();
            Arrays.sort(samples);
            return samples[samples.length / 2] / 1e3;
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }
}
