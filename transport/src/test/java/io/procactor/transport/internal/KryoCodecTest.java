package io.procactor.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.procactor.transport.Registrations;
import io.procactor.transport.SerializationException;
import io.procactor.transport.WireCodec;
import io.procactor.transport.WireReader;
import io.procactor.transport.WireWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KryoCodecTest {
    private static final int MAX_FRAME = 64 * 1024;
    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    record Inner(String label, int value) {
    }

    record Outer(String name, List<Object> items, Inner inner) {
    }

    record Unregistered(int x) {
    }

    /** Not a record and no no-arg constructor: only its codec knows how to rebuild it. */
    static final class Handle {
        final String name;
        final long id;
        final Object payload;
        final boolean viaCodec;

        Handle(String name, long id, Object payload, boolean viaCodec) {
            this.name = name;
            this.id = id;
            this.payload = payload;
            this.viaCodec = viaCodec;
        }
    }

    static final class HandleCodec implements WireCodec<Handle> {
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public void write(WireWriter out, Handle value) {
            writes.incrementAndGet();
            out.writeString(value.name);
            out.writeLong(value.id);
            out.writeInt(-7);
            out.writeBoolean(true);
            out.writeObject(value.payload);
        }

        @Override
        public Handle read(WireReader in) {
            reads.incrementAndGet();
            String name = in.readString();
            long id = in.readLong();
            assertThat(in.readInt()).isEqualTo(-7);
            assertThat(in.readBoolean()).isTrue();
            return new Handle(name, id, in.readObject(), true);
        }
    }

    private final HandleCodec handleCodec = new HandleCodec();
    private final KryoCodec codec = new KryoCodec(Registrations.builder()
            .register(Outer.class, 1000)
            .register(Inner.class, 1001)
            .register(Handle.class, 1002, handleCodec)
            .build(), MAX_FRAME);

    // --- round trips --------------------------------------------------------------------------

    static Stream<Arguments> jdkDefaults() {
        Map<String, Integer> linkedMap = new LinkedHashMap<>();
        linkedMap.put("z", 1);
        linkedMap.put("a", 2);
        linkedMap.put("m", 3);
        Set<String> linkedSet = new LinkedHashSet<>(List.of("z", "a", "m"));
        return Stream.of(
                // Kryo's own and boxed primitives
                Arguments.of("String", "hello"),
                Arguments.of("empty String", ""),
                Arguments.of("non-ASCII String", "h\u00e9llo \u2713 \uD83D\uDE00"),
                Arguments.of("Integer", Integer.MIN_VALUE),
                Arguments.of("Long", 0x0102030405060708L),
                Arguments.of("Double", Math.PI),
                Arguments.of("Float", -1.5f),
                Arguments.of("Boolean", Boolean.TRUE),
                Arguments.of("Byte", (byte) -3),
                Arguments.of("Character", '\u2713'),
                Arguments.of("Short", (short) -12345),
                // arrays
                Arguments.of("byte[]", new byte[] {1, -2, 3}),
                Arguments.of("int[]", new int[] {1, -2, Integer.MAX_VALUE}),
                Arguments.of("long[]", new long[] {0x0102030405060708L, -1L, Long.MIN_VALUE}),
                Arguments.of("double[]", new double[] {Math.PI, -0.0, Double.NaN}),
                Arguments.of("float[]", new float[] {1.25f, Float.MAX_VALUE}),
                Arguments.of("boolean[]", new boolean[] {true, false, true}),
                Arguments.of("char[]", new char[] {'a', '\u2713'}),
                Arguments.of("short[]", new short[] {1, -1, Short.MAX_VALUE}),
                Arguments.of("String[]", new String[] {"a", null, "c"}),
                Arguments.of("Object[]", new Object[] {"a", 1, null, List.of(2L)}),
                // mutable collections
                Arguments.of("ArrayList", new ArrayList<>(List.of("a", "b", "c"))),
                Arguments.of("LinkedList", new LinkedList<>(List.of(1, 2, 3))),
                Arguments.of("HashMap", new HashMap<>(Map.of("a", 1, "b", 2))),
                Arguments.of("LinkedHashMap", linkedMap),
                Arguments.of("TreeMap", new TreeMap<>(Map.of("b", 2, "a", 1))),
                Arguments.of("HashSet", new HashSet<>(Set.of(1, 2, 3))),
                Arguments.of("LinkedHashSet", linkedSet),
                Arguments.of("TreeSet", new TreeSet<>(Set.of(3, 1, 2))),
                // immutable collections of every size class the JDK distinguishes
                Arguments.of("List.of()", List.of()),
                Arguments.of("List.of(1)", List.of(1)),
                Arguments.of("List.of(1,2)", List.of(1, 2)),
                Arguments.of("List.of(1,2,3)", List.of(1, 2, 3)),
                Arguments.of("List.of(1..5)", List.of(1, 2, 3, 4, 5)),
                Arguments.of("List.copyOf", List.copyOf(new ArrayList<>(List.of("x", "y", "z", "w")))),
                Arguments.of("Set.of()", Set.of()),
                Arguments.of("Set.of(1)", Set.of(1)),
                Arguments.of("Set.of(1,2)", Set.of(1, 2)),
                Arguments.of("Set.of(1,2,3)", Set.of(1, 2, 3)),
                Arguments.of("Set.of(1..5)", Set.of(1, 2, 3, 4, 5)),
                Arguments.of("Map.of()", Map.of()),
                Arguments.of("Map.of(1)", Map.of("a", 1)),
                Arguments.of("Map.of(2)", Map.of("a", 1, "b", 2)),
                Arguments.of("Map.of(3)", Map.of("a", 1, "b", 2, "c", 3)),
                Arguments.of("Map.of(5)", Map.of("a", 1, "b", 2, "c", 3, "d", 4, "e", 5)),
                Arguments.of("Arrays.asList", Arrays.asList("a", null, "c")),
                Arguments.of("Collections.emptyList", Collections.emptyList()),
                Arguments.of("Collections.emptySet", Collections.emptySet()),
                Arguments.of("Collections.emptyMap", Collections.emptyMap()),
                Arguments.of("Collections.singletonList", Collections.singletonList("only")),
                Arguments.of("Collections.singleton", Collections.singleton("only")),
                Arguments.of("Collections.singletonMap", Collections.singletonMap("k", "v")),
                // value types
                Arguments.of("UUID", UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),
                Arguments.of("Duration", Duration.ofSeconds(-5, 123_456_789)),
                Arguments.of("Instant", Instant.parse("2024-02-29T12:34:56.789012345Z")),
                Arguments.of("LocalDate", LocalDate.of(2024, 2, 29)),
                Arguments.of("LocalDateTime", LocalDateTime.of(2024, 2, 29, 23, 59, 58, 1)),
                Arguments.of("BigInteger", new BigInteger("-123456789012345678901234567890")),
                Arguments.of("BigDecimal", new BigDecimal("-12345678901234567890.12345000")),
                Arguments.of("Optional.of", Optional.of("present")),
                Arguments.of("Optional.empty", Optional.empty()),
                Arguments.of("null", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdkDefaults")
    void jdkDefaultTypesRoundTrip(String name, Object value) {
        Object decoded = roundTrip(codec, value);
        assertThat(decoded).isEqualTo(value);
        if (value != null) {
            assertThat(decoded.getClass()).as("same class after decoding").isEqualTo(value.getClass());
        }
        if (value instanceof Map<?, ?> m && !(value instanceof HashMap<?, ?>)) {
            assertThat(new ArrayList<Object>(((Map<?, ?>) decoded).keySet())).as("key order")
                    .isEqualTo(new ArrayList<Object>(m.keySet()));
        }
        if (value instanceof Set<?> s && (value instanceof LinkedHashSet<?> || value instanceof TreeSet<?>)) {
            assertThat(new ArrayList<Object>((Set<?>) decoded)).as("element order").isEqualTo(new ArrayList<Object>(s));
        }
    }

    @Test
    void arrayDequeRoundTripsInOrder() {
        ArrayDeque<String> deque = new ArrayDeque<>(List.of("a", "b", "c"));
        Object decoded = roundTrip(codec, deque);
        assertThat(decoded).isInstanceOf(ArrayDeque.class);
        assertThat(new ArrayList<Object>((ArrayDeque<?>) decoded)).containsExactly("a", "b", "c");
    }

    @Test
    void immutableCollectionsStayImmutable() {
        List<?> list = (List<?>) roundTrip(codec, List.of(1, 2, 3));
        assertThatThrownBy(() -> list.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        Map<?, ?> map = (Map<?, ?>) roundTrip(codec, Map.of("a", 1));
        assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void registeredRecordWithListAndNestedRecordRoundTrips() {
        Outer outer = new Outer("outer", List.of("a", 1, new Inner("in-list", 2), List.of()), new Inner("nested", 3));
        assertThat(roundTrip(codec, outer)).isEqualTo(outer);
        Outer withNulls = new Outer(null, new ArrayList<>(Arrays.asList(null, "x")), null);
        assertThat(roundTrip(codec, withNulls)).isEqualTo(withNulls);
    }

    /**
     * Serializers are made on first use: a registered class Kryo can make none for fails its own
     * messages, naming it and the fix, and no other message (made eagerly, it failed every Kryo).
     */
    @Test
    void aRegisteredClassKryoCannotSerializeFailsOnlyItsOwnMessages() {
        KryoCodec withJdkClass = new KryoCodec(Registrations.builder()
                .register(Inner.class, 1000)
                .register(java.util.concurrent.atomic.AtomicLong.class, 1001) // fields in java.base: not open to Kryo
                .build(), MAX_FRAME);

        assertThat(roundTrip(withJdkClass, new Inner("fine", 1))).isEqualTo(new Inner("fine", 1));
        assertThatThrownBy(() -> withJdkClass.encodeFrame(ALLOC, new java.util.concurrent.atomic.AtomicLong(5)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("[java.util.concurrent.atomic.AtomicLong]")
                .hasMessageContaining("register a WireCodec for its class");
        assertThat(roundTrip(withJdkClass, "still fine")).isEqualTo("still fine");
    }

    /** A plain class (Kryo's field serializer, which tells a collection its elements' type). */
    static final class Inners {
        List<Inner> list;
    }

    /**
     * Kryo keeps a stack of generic types per instance and a write that fails half-way leaves its
     * entries on it, where a later message's nested collection found them: the codec starts that
     * thread over with a fresh Kryo after any failure.
     */
    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aFailedEncodeLeavesNothingBehindForTheNextMessage() {
        KryoCodec c = new KryoCodec(Registrations.builder().register(Inner.class, 1000).register(Inners.class, 1001).build(), MAX_FRAME);
        Inners polluted = new Inners();
        polluted.list = (List) new ArrayList<>(List.of("not an Inner")); // fails inside the list, its generic type pushed
        assertThatThrownBy(() -> c.encodeFrame(ALLOC, polluted)).isInstanceOf(SerializationException.class);

        List<Object> nested = new ArrayList<>(List.of(new ArrayList<>(List.of("a", 1))));
        assertThat(roundTrip(c, nested)).isEqualTo(nested);
    }

    @Test
    void wireCodecRegisteredTypeRoundTripsThroughItsCodec() {
        Handle h = new Handle("actor-7", 0x0102030405060708L, new Inner("payload", 9), false);
        Handle decoded = (Handle) roundTrip(codec, h);
        assertThat(decoded.viaCodec).isTrue();
        assertThat(decoded.name).isEqualTo("actor-7");
        assertThat(decoded.id).isEqualTo(0x0102030405060708L);
        assertThat(decoded.payload).isEqualTo(new Inner("payload", 9));
        assertThat(handleCodec.writes).hasValue(1);
        assertThat(handleCodec.reads).hasValue(1);

        // Inside another message too.
        Outer outer = new Outer("o", List.of(h), null);
        Outer decodedOuter = (Outer) roundTrip(codec, outer);
        assertThat(((Handle) decodedOuter.items().get(0)).viaCodec).isTrue();
        assertThat(handleCodec.reads).hasValue(2);
    }

    @Test
    void decodeReadsOnlyTheReadableBytesOfItsBuffer() {
        // A body sliced out of a bigger buffer, as the frame decoder hands it over.
        ByteBuf frame = codec.encodeFrame(ALLOC, "sliced");
        ByteBuf big = Unpooled.buffer().writeBytes(new byte[] {9, 9, 9}).writeBytes(frame).writeBytes(new byte[] {7, 7});
        frame.release();
        ByteBuf body = big.slice(3 + Frames.HEADER_BYTES, big.readableBytes() - 3 - Frames.HEADER_BYTES - 2);
        assertThat(codec.decode(body)).isEqualTo("sliced");
        big.release();
    }

    @Test
    void manyThreadsShareOneCodec() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 2_000; i++) {
                        Outer o = new Outer("t" + id, List.of(i, "s" + i), new Inner("x", i));
                        assertThat(roundTrip(codec, o)).isEqualTo(o);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join(20_000);
        }
        assertThat(failures).isEmpty();
    }

    // --- frame header and golden bytes -----------------------------------------------------------

    @Test
    void encodeFrameWritesLengthVersionAndKind() {
        ByteBuf frame = codec.encodeFrame(ALLOC, new Inner("header", 1));
        try {
            int total = frame.readableBytes();
            assertThat(frame.getInt(0)).as("length counts everything after the length field").isEqualTo(total - 4);
            assertThat(frame.getByte(4)).as("version").isEqualTo((byte) 1);
            assertThat(frame.getByte(5)).as("kind MESSAGE").isEqualTo((byte) 4);
        } finally {
            frame.release();
        }
    }

    /**
     * Golden bytes. A change in these bytes is a wire-format change: processes built before and
     * after it cannot talk to each other. Bump {@link Frames#VERSION} or {@link Frames#PROTOCOL_VERSION}
     * deliberately and then update the fixtures; never just paste the new output.
     */
    @Test
    void goldenBytesOfSmallMessages() {
        assertThat(hex(codec.encodeFrame(ALLOC, "hi"))).isEqualTo(GOLDEN_HI);
        assertThat(hex(codec.encodeFrame(ALLOC, List.of(1, 2)))).isEqualTo(GOLDEN_LIST_1_2);
    }

    /**
     * length 5 | version 1 | kind 4 | class id 3 (Kryo's String, id 1, written +2) | "hi" as ASCII,
     * the last char's high bit set.
     */
    private static final String GOLDEN_HI = "00000005" + "01" + "04" + "03" + "68e9";
    /**
     * length 7 | version 1 | kind 4 | class id 0x21 (ImmutableCollections$List12, id 31, written +2)
     * | 0x83 (size + 1 = 3, flag: all elements of one class) | 0x02 (that class: Kryo's Integer, id 0)
     * | 0x02 0x04 (1 and 2, zig-zag varints).
     */
    private static final String GOLDEN_LIST_1_2 = "00000007" + "01" + "04" + "21" + "83" + "02" + "0204";

    // --- failures -------------------------------------------------------------------------------

    @Test
    void unregisteredClassFailsAtEncodeNamingIt() {
        SerializationException e = catchThrowableOfType(SerializationException.class,
                () -> codec.encodeFrame(ALLOC, new Unregistered(1)));
        assertThat(e.className()).isEqualTo(Unregistered.class.getName());
        assertThat(e).hasMessageContaining(Unregistered.class.getName()).hasMessageContaining("not registered");
    }

    @Test
    void unregisteredClassNestedInARegisteredRecordIsNamed() {
        KryoCodec withoutInner = new KryoCodec(Registrations.builder().register(Outer.class, 1000).build(), MAX_FRAME);
        SerializationException e = catchThrowableOfType(SerializationException.class,
                () -> withoutInner.encodeFrame(ALLOC, new Outer("o", List.of(), new Inner("i", 1))));
        assertThat(e.className()).isEqualTo(Inner.class.getName());
        assertThat(e).hasMessageContaining("[" + Inner.class.getName() + "] is not registered")
                .hasMessageContaining(Outer.class.getName());

        SerializationException inList = catchThrowableOfType(SerializationException.class,
                () -> codec.encodeFrame(ALLOC, new Outer("o", List.of("fine", new Unregistered(2)), null)));
        assertThat(inList.className()).isEqualTo(Unregistered.class.getName());
        assertThat(inList).hasMessageContaining(Unregistered.class.getName());
    }

    @Test
    void unregisteredJdkCollectionIsNamed() {
        List<Integer> sub = new ArrayList<>(List.of(1, 2, 3)).subList(0, 2);
        SerializationException e = catchThrowableOfType(SerializationException.class, () -> codec.encodeFrame(ALLOC, sub));
        assertThat(e.className()).isEqualTo(sub.getClass().getName());
    }

    @Test
    void messageBiggerThanMaxFrameSizeFailsNamingTheSetting() {
        KryoCodec small = new KryoCodec(Registrations.builder().build(), 1024);
        SerializationException e = catchThrowableOfType(SerializationException.class,
                () -> small.encodeFrame(ALLOC, new byte[2000]));
        assertThat(e).hasMessageContaining("max-frame-size").hasMessageContaining("[B");
        assertThat(e.className()).isEqualTo(byte[].class.getName());

        // The codec is still usable afterwards, and a message that fits exactly is fine.
        // byte[n] body: 1 byte class id + 2 bytes length + n bytes; the length field adds version and kind.
        int n = 1024 - Frames.VERSION_AND_KIND - 3;
        ByteBuf frame = small.encodeFrame(ALLOC, new byte[n]);
        try {
            assertThat(frame.getInt(0)).isEqualTo(1024);
        } finally {
            frame.release();
        }
        assertThatThrownBy(() -> small.encodeFrame(ALLOC, new byte[n + 1]))
                .isInstanceOf(SerializationException.class).hasMessageContaining("max-frame-size");
    }

    @Test
    void largeMessageDoesNotPinItsBufferAndLaterSmallMessagesStillEncode() {
        KryoCodec big = new KryoCodec(Registrations.builder().build(), 4 * 1024 * 1024);
        byte[] payload = new byte[3 * 1024 * 1024];
        Arrays.fill(payload, (byte) 5);
        assertThat((byte[]) roundTrip(big, payload)).isEqualTo(payload);
        assertThat(roundTrip(big, "small")).isEqualTo("small");
    }

    @Test
    void failingWireCodecSurfacesAsSerializationException() {
        KryoCodec failing = new KryoCodec(Registrations.builder().register(Handle.class, 1002, new WireCodec<Handle>() {
            @Override
            public void write(WireWriter out, Handle value) {
                throw new IllegalStateException("handle is not bound");
            }

            @Override
            public Handle read(WireReader in) {
                throw new IllegalStateException("cannot rebind");
            }
        }).build(), MAX_FRAME);
        assertThatThrownBy(() -> failing.encodeFrame(ALLOC, new Handle("h", 1, null, false)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("handle is not bound");

        ByteBuf frame = codec.encodeFrame(ALLOC, new Handle("h", 1, null, false));
        try {
            frame.skipBytes(Frames.HEADER_BYTES);
            assertThatThrownBy(() -> failing.decode(frame))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("cannot rebind");
        } finally {
            frame.release();
        }
    }

    static Stream<Arguments> garbage() {
        return Stream.of(
                Arguments.of("empty body", new byte[0]),
                Arguments.of("unknown class id 999999", new byte[] {(byte) 0xC1, (byte) 0x84, 0x3D}),
                Arguments.of("all 0xFF", repeat((byte) 0xFF, 64)),
                Arguments.of("truncated String", new byte[] {3, 'h', 'e', 'l'}),
                Arguments.of("ArrayList claiming more elements than follow", new byte[] {22, 10, 0}),
                Arguments.of("id of a registered record, no fields", new byte[] {(byte) 0xEA, 0x07}),
                Arguments.of("a whole message with bytes left over", new byte[] {3, 'h', (byte) 0xE9, 0, 0}),
                Arguments.of("null followed by bytes", new byte[] {0, 1, 2, 3}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void decodeOfGarbageThrowsSerializationException(String name, byte[] body) {
        ByteBuf b = Unpooled.wrappedBuffer(body);
        assertThatThrownBy(() -> codec.decode(b)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot decode a message of " + body.length + " bytes");
        // The codec (and its pooled Kryo) is still fine afterwards.
        assertThat(roundTrip(codec, List.of("still", "works"))).isEqualTo(List.of("still", "works"));
    }

    @Test
    void leftoverBytesAreNamedWithWhatWasRead() {
        assertThatThrownBy(() -> codec.decode(Unpooled.wrappedBuffer(new byte[] {3, 'h', (byte) 0xE9, 7})))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("[1] bytes left over after reading a [java.lang.String]");
    }

    @Test
    void streamToListHoldingNullFailsAtEncodeNotAtTheReceiver() {
        // Stream.toList() returns an immutable list that, unlike List.of, allows null; Kryo rebuilds
        // these lists with List.of, so it refuses to write the null rather than fail on the far side.
        List<Object> withNull = Stream.<Object>of("a", null).toList();
        assertThatThrownBy(() -> codec.encodeFrame(ALLOC, withNull)).isInstanceOf(SerializationException.class)
                .hasMessageContaining(withNull.getClass().getName());
    }

    @Test
    void shortAsciiStringsComeFromTheDecodersCacheAndEveryStringStillRoundTrips() {
        // "Aa" and "BB" share a hash (and so a cache slot); 32 chars is the longest cached, 33 is read as usual
        List<String> values = Arrays.asList("worker-1", "Aa", "BB", "Aa", "x", "", null, "h\u00e4\u00df", "a".repeat(32),
                "b".repeat(33), "worker-1", "tell-sink", "worker-2");
        for (int round = 0; round < 2; round++) {
            for (String v : values) {
                assertThat(roundTrip(codec, v)).isEqualTo(v);
            }
        }
        Object first = roundTrip(codec, "tell-sink");
        assertThat(roundTrip(codec, new Inner("tell-sink", 1))).isEqualTo(new Inner("tell-sink", 1));
        assertThat(roundTrip(codec, "tell-sink")).as("one instance: its hash is computed once").isSameAs(first);
    }

    @Test
    void encodeFrameToHandsOverTheSameBodyAsEncodeFrame() {
        Outer value = new Outer("o", List.of("a", 1), new Inner("i", 2));
        ByteBuf frame = codec.encodeFrame(ALLOC, value);
        try {
            byte[] expected = ByteBufUtil.getBytes(frame, Frames.HEADER_BYTES, frame.readableBytes() - Frames.HEADER_BYTES);
            AtomicReference<byte[]> body = new AtomicReference<>();
            assertThat(codec.encodeFrameTo(value, (bytes, length) -> {
                body.set(Arrays.copyOf(bytes, length));
                return true;
            })).isTrue();
            assertThat(body.get()).isEqualTo(expected);
        } finally {
            frame.release();
        }
        assertThatThrownBy(() -> codec.encodeFrameTo(new Unregistered(1), (bytes, length) -> true))
                .isInstanceOf(SerializationException.class);
    }

    // ---------------------------------------------------------------------------------------------

    static Object roundTrip(KryoCodec codec, Object value) {
        ByteBuf frame = codec.encodeFrame(ALLOC, value);
        try {
            assertThat(frame.readInt()).isEqualTo(frame.readableBytes());
            assertThat(frame.readByte()).isEqualTo(Frames.VERSION);
            assertThat(frame.readByte()).isEqualTo(Frames.MESSAGE);
            return codec.decode(frame);
        } finally {
            frame.release();
        }
    }

    private static String hex(ByteBuf frame) {
        try {
            return HexFormat.of().formatHex(ByteBufUtil.getBytes(frame));
        } finally {
            frame.release();
        }
    }

    private static byte[] repeat(byte b, int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, b);
        return a;
    }
}
