package io.procactor.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.procactor.transport.Admission;
import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.DecodeLimits;
import io.procactor.transport.HostileMessages;
import io.procactor.transport.Inbound;
import io.procactor.transport.MessageLimitException;
import io.procactor.transport.RecordingInbound;
import io.procactor.transport.Registrations;
import io.procactor.transport.SerializationException;
import io.procactor.transport.TransportKind;
import io.procactor.transport.TransportSettings;
import io.procactor.transport.WireCodec;
import io.procactor.transport.WireReader;
import io.procactor.transport.WireWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A seeded mutation fuzzer over the three places that read bytes from a peer: the message codec,
 * the server pipeline (frame decoder, handshake, message stage) and the client pipeline. Seeds
 * are real frames: HELLO, WELCOME and MESSAGE frames of every kind of registered type. For every
 * input: no exception escapes (the pipeline closes the channel itself), no decode allocates more
 * than the input could justify (measured with the thread allocation counter, so an allocation from
 * a declared length fails the test), every buffer is released, no handshake slot leaks.
 *
 * <p>Runs {@value #DEFAULT_INPUTS} inputs per target in every build (a few seconds); more with
 * {@code -Dprocactor.fuzz.inputs=5000000}, another seed with {@code -Dprocactor.fuzz.seed=N}.
 * A failure prints the seed, the input number and the input in hex.
 */
class TransportFuzzTest {
    static final int DEFAULT_INPUTS = 20_000;
    private static final int INPUTS = Integer.getInteger("procactor.fuzz.inputs", DEFAULT_INPUTS);
    private static final long SEED = Long.getLong("procactor.fuzz.seed", 20_240_229L);
    private static final int MAX_FRAME = 64 * 1024;
    /** Small on purpose, so that the budget is reached by mutated counts and its bound is tight. */
    private static final DecodeLimits LIMITS = new DecodeLimits(4096, 64);
    /**
     * What one input may make the decoder allocate: a fixed allowance (Kryo's buffers, an exception
     * with its stack trace, a fresh channel) plus 64 bytes per input byte and per element the budget
     * allows. A declared length that is allocated before it is checked costs far more.
     */
    private static final long FIXED_ALLOWANCE = 1024 * 1024;
    private static final long PER_BYTE = 64;

    record Inner(String label, int value) {
    }

    record Outer(String name, List<Object> items, Inner inner, long[] longs, Map<String, Object> attributes) {
    }

    /** Rebuilt by a hand-written codec, as the runtime's references are. */
    record Handle(String name, long id, Object payload) {
    }

    static final class HandleCodec implements WireCodec<Handle> {
        @Override
        public void write(WireWriter out, Handle value) {
            out.writeString(value.name());
            out.writeLong(value.id());
            out.writeBoolean(value.payload() != null);
            out.writeObject(value.payload());
        }

        @Override
        public Handle read(WireReader in) {
            String name = in.readString();
            long id = in.readLong();
            in.readBoolean();
            return new Handle(name, id, in.readObject());
        }
    }

    static Registrations registrations() {
        return Registrations.builder()
                .register(Inner.class, 1000)
                .register(Outer.class, 1001)
                .register(Handle.class, 1002, new HandleCodec())
                .build();
    }

    private static final Map<String, Level> savedLevels = new HashMap<>();

    @BeforeAll
    static void quietLogs() {
        // Tens of thousands of refusals and dropped messages would flood the test output.
        for (String name : List.of("io.procactor.transport", "io.netty")) {
            Logger l = (Logger) LoggerFactory.getLogger(name);
            savedLevels.put(name, l.getLevel());
            l.setLevel(Level.OFF);
        }
    }

    @AfterAll
    static void restoreLogs() {
        savedLevels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }

    // --- seeds ---------------------------------------------------------------------------------------

    static List<Object> messages() {
        Map<String, Object> attributes = new TreeMap<>(Map.of("a", 1, "b", List.of("x"), "c", new Inner("in", 3)));
        return List.of("hi", "", "h\u00e9llo \u2713 \uD83D\uDE00", "a".repeat(100), 42, -7L, 3.5, true, 'c',
                List.of(), List.of(1, 2), List.of(1, 2, 3, 4, 5), new ArrayList<>(List.of("a", 1, 2L)),
                new LinkedList<>(List.of(1, 2)), new HashMap<>(Map.of("k", "v", "n", 1)), new TreeMap<>(Map.of(1, "one")),
                new HashSet<>(Set.of(1, 2, 3)), new TreeSet<>(Set.of("b", "a")), new ArrayDeque<>(List.of(1)),
                Map.of("x", 1), Set.of(1, 2, 3), Arrays.asList("a", null), Collections.singletonList("s"), Collections.emptyMap(),
                new long[] {1, -1, Long.MAX_VALUE}, new int[] {1, 2, 3}, new byte[] {1, 2, 3}, new double[] {Math.PI},
                new boolean[] {true, false}, new char[] {'a', 'b'}, new short[] {1}, new float[] {1.5f},
                new String[] {"a", null}, new Object[] {"a", 1, null, List.of()},
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), Duration.ofMillis(1500), Instant.ofEpochSecond(1, 2),
                LocalDate.of(2024, 2, 29), new BigInteger("123456789012345678901234567890"), new BigDecimal("-1.50"),
                Optional.of("x"), new Inner("label", 7),
                new Outer("outer", List.of("a", new Inner("i", 1), List.of(List.of(2))), new Inner("n", 2), new long[] {5},
                        attributes),
                new Handle("ref", 99, new Inner("payload", 1)), new Handle("ref", 1, null));
    }

    private static List<byte[]> bodies(KryoCodec codec) {
        List<byte[]> bodies = new ArrayList<>();
        for (Object m : messages()) {
            bodies.add(Arrays.copyOfRange(frame(codec, m), Frames.HEADER_BYTES, frame(codec, m).length));
        }
        for (HostileMessages.Hostile h : HostileMessages.all()) {
            bodies.add(h.body());
        }
        return bodies;
    }

    private static byte[] frame(KryoCodec codec, Object m) {
        ByteBuf b = codec.encodeFrame(UnpooledByteBufAllocator.DEFAULT, m);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static byte[] bytes(ByteBuf b) {
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        return all.toByteArray();
    }

    // --- target 1: the message codec ---------------------------------------------------------------------

    @Test
    void messageCodec() {
        KryoCodec codec = new KryoCodec(registrations(), MAX_FRAME, LIMITS);
        List<byte[]> seeds = bodies(codec);
        for (Object m : messages()) { // the seeds themselves decode
            byte[] f = frame(codec, m);
            Object back = codec.decode(Unpooled.wrappedBuffer(f, Frames.HEADER_BYTES, f.length - Frames.HEADER_BYTES));
            assertThat(back == null ? null : back.getClass()).isEqualTo(m.getClass());
        }
        Mutator mutator = new Mutator(new Random(SEED));
        int decoded = 0;
        int refused = 0;
        int overLimit = 0;
        long start = System.nanoTime();
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = mutator.mutate(seeds.get(mutator.nextInt(seeds.size())), seeds);
            ByteBuf body = Unpooled.wrappedBuffer(input);
            long before = HostileMessages.allocatedByThisThread();
            try {
                codec.decode(body);
                decoded++;
            } catch (MessageLimitException e) {
                overLimit++;
            } catch (SerializationException e) {
                refused++;
            } catch (Throwable e) {
                throw new AssertionError(failure("message codec", i, input, "threw " + e), e);
            }
            long allocated = HostileMessages.allocatedByThisThread() - before;
            assertAllocationBounded("message codec", i, input, allocated);
        }
        report("message codec", start, "decoded " + decoded + ", refused " + refused + ", over a limit " + overLimit);
        assertThat(decoded).as("some mutants still decode").isPositive();
        assertThat(overLimit).as("some mutants declare too much").isPositive();
    }

    // --- target 2: the server pipeline (frames, handshake, messages) ---------------------------------------

    @Test
    void serverPipeline() {
        Credentials credentials = Credentials.random();
        TransportContext context = context();
        int[] delivered = new int[1];
        Inbound counting = new Inbound() {
            @Override
            public void onMessage(Connection connection, Object message) {
                delivered[0]++;
            }

            @Override
            public void onClosed(Connection connection, Throwable cause) {
            }
        };
        ServerGuard guard = new ServerGuard(h -> h.proves(credentials) ? Admission.accept(c -> counting)
                : Admission.refuse("wrong token"), 100);
        byte[] hello = bytes(Handshake.hello(UnpooledByteBufAllocator.DEFAULT, "fuzz-client", 4242, credentials.token()));
        List<byte[]> messages = new ArrayList<>();
        for (Object m : messages()) {
            messages.add(frame(context.codec(), m));
        }
        for (HostileMessages.Hostile h : HostileMessages.all()) {
            messages.add(frameAround(h.body()));
        }
        List<byte[]> corpus = new ArrayList<>(messages);
        corpus.add(hello);
        Mutator mutator = new Mutator(new Random(SEED + 1));
        TrackingAllocator allocator = new TrackingAllocator();
        Supplier<ChannelSetup> pipeline = () -> Pipelines.server(context, guard, ch -> {
        });
        warmUp(concat(List.of(hello, messages.get(0))), allocator, pipeline); // classes loaded, Kryo built
        int open = 0;
        long start = System.nanoTime();
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = streamInput(mutator, hello, messages, corpus);
            Fed fed = feed(i, "server pipeline", input, allocator, mutator, pipeline);
            assertAllocationBounded("server pipeline", i, input, fed.allocated());
            if (fed.open()) {
                open++;
            }
            if (guard.pendingHandshakes() != 0) {
                throw new AssertionError(failure("server pipeline", i, input, guard.pendingHandshakes() + " handshake slots still held"));
            }
        }
        report("server pipeline", start, "left open " + open + ", messages delivered " + delivered[0]
                + ", connections refused " + guard.refusedConnections());
        assertThat(delivered[0]).as("some mutants get through the handshake and deliver").isPositive();
    }

    // --- target 3: the client pipeline (WELCOME, REFUSE, messages) ------------------------------------------

    @Test
    void clientPipeline() {
        TransportContext[] context = {context()};
        KryoCodec pristine = context[0].codec();
        byte[] welcome = bytes(Handshake.welcome(UnpooledByteBufAllocator.DEFAULT, "fuzz-server", 1,
                pristine.registrations().table()));
        byte[] refuse = bytes(Handshake.refuse(UnpooledByteBufAllocator.DEFAULT, "not a child this node is starting"));
        List<byte[]> messages = new ArrayList<>();
        for (Object m : messages()) {
            messages.add(frame(pristine, m));
        }
        List<byte[]> corpus = new ArrayList<>(messages);
        corpus.add(welcome);
        corpus.add(refuse);
        Mutator mutator = new Mutator(new Random(SEED + 2));
        TrackingAllocator allocator = new TrackingAllocator();
        warmUp(concat(List.of(welcome, messages.get(0))), allocator, () -> Pipelines.client(context[0], new byte[] {1},
                new RecordingInbound(), new CompletableFuture<>(), "fuzz-server", ch -> {
                }));
        int[] outcomes = new int[3]; // connected, failed, pending
        int adopted = 0;
        long start = System.nanoTime();
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = streamInput(mutator, mutator.nextInt(10) == 0 ? refuse : welcome, messages, corpus);
            CompletableFuture<Connection> result = new CompletableFuture<>();
            TransportContext ctx = context[0];
            Fed fed = feed(i, "client pipeline", input, allocator, mutator, () -> Pipelines.client(ctx, new byte[] {1},
                    new RecordingInbound(), result, "fuzz-server", ch -> {
                    }));
            outcomes[!result.isDone() ? 2 : result.isCompletedExceptionally() ? 1 : 0]++;
            if (ctx.codec() != pristine) {
                // A mutant table was adopted, which builds a new Kryo (once per connection, by design): not
                // measured, and the next input starts from a clean context.
                adopted++;
                context[0] = context();
            } else {
                assertAllocationBounded("client pipeline", i, input, fed.allocated());
            }
        }
        report("client pipeline", start, "connected " + outcomes[0] + ", failed " + outcomes[1] + ", pending " + outcomes[2]
                + ", mutant tables adopted " + adopted);
        assertThat(outcomes[0]).as("some mutants are welcomed").isPositive();
    }

    // ---------------------------------------------------------------------------------------------

    private static TransportContext context() {
        return new TransportContext("fuzz", 1, registrations(),
                new TransportSettings(TransportKind.NIO_UNIX, MAX_FRAME, Duration.ofSeconds(5), 1, 100, LIMITS),
                TransportFuzzTest.class.getClassLoader());
    }

    private static byte[] frameAround(byte[] body) {
        ByteBuf b = Unpooled.buffer();
        Frames.writeHeader(b, Frames.MESSAGE, body.length);
        b.writeBytes(body);
        return bytes(b);
    }

    /**
     * A stream of a handshake frame and up to three message frames, mutated either as raw bytes
     * (framing attacks) or inside one frame with its length fixed up (so the codec is reached).
     */
    private static byte[] streamInput(Mutator m, byte[] handshake, List<byte[]> messages, List<byte[]> corpus) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(handshake);
        int n = m.nextInt(4);
        for (int k = 0; k < n; k++) {
            frames.add(messages.get(m.nextInt(messages.size())));
        }
        if (m.nextInt(5) < 2) {
            return m.mutate(concat(frames), corpus);
        }
        int which = m.nextInt(frames.size());
        byte[] f = frames.get(which);
        byte[] body = m.mutate(Arrays.copyOfRange(f, Frames.LENGTH_BYTES, f.length), corpus); // version, kind, body
        ByteBuf fixed = Unpooled.buffer().writeInt(body.length).writeBytes(body);
        frames.set(which, bytes(fixed));
        return concat(frames);
    }

    private static void warmUp(byte[] input, TrackingAllocator allocator, Supplier<ChannelSetup> pipeline) {
        Mutator m = new Mutator(new Random(0));
        for (int i = 0; i < 200; i++) {
            feed(-1, "warm-up", input, allocator, m, pipeline);
        }
    }

    /** Whether the channel stayed open, and what the input cost in allocated bytes. */
    private record Fed(boolean open, long allocated) {
    }

    /** Feeds {@code input} to a fresh channel in one to three writes, checking that nothing escapes or leaks. */
    private static Fed feed(int i, String target, byte[] input, TrackingAllocator allocator, Mutator m,
                            Supplier<ChannelSetup> pipeline) {
        long before = HostileMessages.allocatedByThisThread();
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ch.config().setAllocator(allocator);
        ch.pipeline().addLast(pipeline.get());
        List<ByteBuf> inputs = new ArrayList<>();
        boolean open;
        try {
            ch.register();
            int offset = 0;
            int writes = 1 + m.nextInt(3);
            for (int w = 0; w < writes && offset < input.length && ch.isOpen(); w++) {
                int len = w == writes - 1 ? input.length - offset : m.nextInt(input.length - offset + 1);
                ByteBuf in = allocator.heapBuffer(Math.max(len, 1)).writeBytes(input, offset, len);
                inputs.add(in);
                ch.writeInbound(in);
                offset += len;
            }
            ch.runPendingTasks();
            ch.checkException();
            open = ch.isOpen();
            ch.finishAndReleaseAll();
        } catch (Throwable e) {
            throw new AssertionError(failure(target, i, input, "an exception escaped the pipeline: " + e), e);
        }
        List<ByteBuf> leaked = allocator.unreleasedAndForget();
        if (!leaked.isEmpty()) {
            throw new AssertionError(failure(target, i, input, leaked.size() + " buffers left unreleased: " + leaked));
        }
        return new Fed(open, HostileMessages.allocatedByThisThread() - before);
    }

    private static void assertAllocationBounded(String target, int i, byte[] input, long allocated) {
        long bound = FIXED_ALLOWANCE + PER_BYTE * (input.length + LIMITS.maxElements());
        if (allocated > bound) {
            throw new AssertionError(failure(target, i, input, "allocated [" + allocated + "] bytes, more than the ["
                    + bound + "] the input and the limits allow"));
        }
    }

    private static String failure(String target, int i, byte[] input, String what) {
        return "fuzz " + target + " input " + i + " (seed " + SEED + "): " + what + "; input "
                + HexFormat.of().formatHex(input, 0, Math.min(input.length, 512)) + (input.length > 512 ? "..." : "");
    }

    private static void report(String target, long startNanos, String outcomes) {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        long cpuMillis = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
        long allocatedKib = (HostileMessages.allocatedByThisThread() - allocatedStart) / 1024;
        System.out.printf("fuzz %s: %,d inputs in %,d ms (%,d ms CPU, %,d KiB allocated per input; seed %d): %s%n", target,
                INPUTS, millis, cpuMillis, allocatedKib / INPUTS, SEED, outcomes);
    }

    private static long cpuStart;
    private static long allocatedStart;

    @org.junit.jupiter.api.BeforeEach
    void startClocks() {
        cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        allocatedStart = HostileMessages.allocatedByThisThread();
    }
}
