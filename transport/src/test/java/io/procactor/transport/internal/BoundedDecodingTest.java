package io.procactor.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.OptionalSerializers;
import com.esotericsoftware.kryo.serializers.TimeSerializers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.procactor.transport.DecodeLimits;
import io.procactor.transport.HostileMessages;
import io.procactor.transport.HostileMessages.Hostile;
import io.procactor.transport.MessageLimitException;
import io.procactor.transport.Registrations;
import io.procactor.transport.SerializationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** No declared length in a message makes the decoder allocate more than the frame holds or the limits allow. */
class BoundedDecodingTest {
    private static final int MAX_FRAME = 8 * 1024 * 1024;
    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    /** Far below what any hostile body declares (0.2 to 3.2 GB), far above what decoding a small body costs. */
    private static final long ALLOCATION_BOUND = 4L * 1024 * 1024;

    record Empty() {
    }

    record Node(Object child) {
    }

    private final KryoCodec codec = new KryoCodec(Registrations.builder()
            .register(Empty.class, 1000)
            .register(Node.class, 1001)
            .build(), MAX_FRAME);

    static Stream<Hostile> hostile() {
        return HostileMessages.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void aTinyBodyDeclaringAHugeLengthFailsBeforeAllocatingIt(Hostile hostile) {
        KryoCodec warm = codec;
        decodeQuietly(warm, new byte[] {3, 'h', (byte) 0xE9}); // this thread's Kryo exists before we measure

        long before = HostileMessages.allocatedByThisThread();
        MessageLimitException e = catchThrowableOfType(MessageLimitException.class,
                () -> codec.decode(Unpooled.wrappedBuffer(hostile.body())));
        long allocated = HostileMessages.allocatedByThisThread() - before;

        assertThat(e).as("decoding %s", hostile).isNotNull();
        assertThat(e).hasMessageContaining("cannot decode a message of " + hostile.body().length + " bytes");
        assertThat(allocated).as("bytes allocated while decoding %s", hostile).isLessThan(ALLOCATION_BOUND);
        // The codec (and this thread's Kryo) is fine afterwards.
        assertThat(KryoCodecTest.roundTrip(codec, List.of("still", "works"))).isEqualTo(List.of("still", "works"));
    }

    @Test
    void theAllocationMeterSeesARealAllocation() {
        // Without this, the bound above could pass because the meter reads zero.
        byte[] payload = new byte[6 * 1024 * 1024];
        ByteBuf frame = codec.encodeFrame(ALLOC, payload);
        try {
            frame.skipBytes(Frames.HEADER_BYTES);
            long before = HostileMessages.allocatedByThisThread();
            assertThat((byte[]) codec.decode(frame)).hasSize(payload.length);
            assertThat(HostileMessages.allocatedByThisThread() - before).isGreaterThanOrEqualTo(payload.length);
        } finally {
            frame.release();
        }
    }

    @Test
    void declaredLengthsAreNamedInTheError() {
        Hostile string = HostileMessages.all().get(0);
        assertThatThrownBy(() -> codec.decode(Unpooled.wrappedBuffer(string.body())))
                .isInstanceOf(MessageLimitException.class)
                .hasMessageContaining("String of [" + HostileMessages.HUGE + "] chars")
                .hasMessageContaining("only [0] are left");
    }

    @Test
    void bigMessagesWithinTheFrameStillRoundTrip() {
        // Each of these holds many elements, but never more than its bytes.
        List<Integer> ints = new ArrayList<>(IntStream.range(0, 300_000).boxed().toList());
        assertThat(KryoCodecTest.roundTrip(codec, ints)).isEqualTo(ints);
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            map.put("k" + i, i);
        }
        assertThat(KryoCodecTest.roundTrip(codec, map)).isEqualTo(map);
        String text = "\u00e9".repeat(1_000_000);
        assertThat(KryoCodecTest.roundTrip(codec, text)).isEqualTo(text);
        long[] longs = new long[500_000];
        Arrays.fill(longs, Long.MIN_VALUE);
        assertThat((long[]) KryoCodecTest.roundTrip(codec, longs)).isEqualTo(longs);
        Object[] objects = new Object[100_000];
        assertThat((Object[]) KryoCodecTest.roundTrip(codec, objects)).isEqualTo(objects);
    }

    // --- the element budget: elements that take no bytes ----------------------------------------------

    @Test
    void elementsThatTakeNoBytesAreCappedByMaxElementsAtTheSenderAndTheReceiver() {
        KryoCodec small = new KryoCodec(Registrations.builder().register(Empty.class, 1000).build(), MAX_FRAME,
                new DecodeLimits(1000, 50));
        // 1000 nulls and 1000 field-less records take 4 to 5 bytes on the wire: within max-elements.
        List<Object> nulls = new ArrayList<>(Collections.nCopies(1000, null));
        assertThat(KryoCodecTest.roundTrip(small, nulls)).isEqualTo(nulls);
        List<Empty> empties = new ArrayList<>(Collections.nCopies(1000, new Empty()));
        assertThat(KryoCodecTest.roundTrip(small, empties)).isEqualTo(empties);

        // One more fails at the sender, naming the setting, and nothing is queued.
        List<Object> tooMany = new ArrayList<>(Collections.nCopies(1001, null));
        assertThatThrownBy(() -> small.encodeFrame(ALLOC, tooMany)).isInstanceOf(MessageLimitException.class)
                .hasMessageContaining("[1001] collection and map elements")
                .hasMessageContaining("max-elements [1000]");

        // A peer that sends it anyway (a codec with a larger budget) is refused by the receiver.
        KryoCodec generous = new KryoCodec(Registrations.builder().register(Empty.class, 1000).build(), MAX_FRAME,
                new DecodeLimits(1_000_000, 50));
        ByteBuf frame = generous.encodeFrame(ALLOC, tooMany);
        try {
            frame.skipBytes(Frames.HEADER_BYTES);
            assertThat(frame.readableBytes()).as("1001 nulls are a few bytes").isLessThan(10);
            assertThatThrownBy(() -> small.decode(frame)).isInstanceOf(MessageLimitException.class)
                    .hasMessageContaining("[java.util.ArrayList] of [1001] elements");
        } finally {
            frame.release();
        }
    }

    @Test
    void theBudgetCountsEveryContainerOfTheMessageNotEachAlone() {
        KryoCodec small = new KryoCodec(Registrations.builder().build(), MAX_FRAME, new DecodeLimits(1000, 50));
        // Ten lists of 200 nulls: each is fine alone, together they declare 2010 elements in ~50 bytes.
        List<Object> outer = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            outer.add(new ArrayList<>(Collections.nCopies(200, null)));
        }
        assertThatThrownBy(() -> small.encodeFrame(ALLOC, outer)).isInstanceOf(MessageLimitException.class);
        KryoCodec generous = new KryoCodec(Registrations.builder().build(), MAX_FRAME, new DecodeLimits(1_000_000, 50));
        ByteBuf frame = generous.encodeFrame(ALLOC, outer);
        try {
            frame.skipBytes(Frames.HEADER_BYTES);
            assertThatThrownBy(() -> small.decode(frame)).isInstanceOf(MessageLimitException.class);
        } finally {
            frame.release();
        }
    }

    // --- nesting depth ---------------------------------------------------------------------------------

    @Test
    void nestingDeeperThanMaxDepthFailsAtTheSenderAndTheReceiver() {
        KryoCodec shallow = new KryoCodec(Registrations.builder().register(Node.class, 1001).build(), MAX_FRAME,
                new DecodeLimits(1000, 40));
        assertThat(KryoCodecTest.roundTrip(shallow, nest(30))).isEqualTo(nest(30));
        assertThatThrownBy(() -> shallow.encodeFrame(ALLOC, nest(60))).isInstanceOf(MessageLimitException.class)
                .hasMessageContaining("max-depth [40]");

        ByteBuf frame = codec.encodeFrame(ALLOC, nest(60));
        try {
            frame.skipBytes(Frames.HEADER_BYTES);
            assertThatThrownBy(() -> shallow.decode(frame)).isInstanceOf(MessageLimitException.class)
                    .hasMessageContaining("max-depth [40]");
        } finally {
            frame.release();
        }
    }

    @Test
    void aBodyOfNothingButNestedListsFailsOnDepthNotOnTheStack() {
        // 100,000 one-element lists inside each other: 2 bytes per level, and a stack overflow without the limit.
        Output o = new Output(300_000);
        int arrayList = Registrations.builder().build().byType(ArrayList.class).orElseThrow().id();
        for (int i = 0; i < 100_000; i++) {
            o.writeVarInt(arrayList + 2, true);
            o.writeVarIntFlag(false, 2, true);
        }
        assertThatThrownBy(() -> codec.decode(Unpooled.wrappedBuffer(o.toBytes()))).isInstanceOf(MessageLimitException.class)
                .hasMessageContaining("max-depth [" + DecodeLimits.DEFAULT.maxDepth() + "]");
    }

    @Test
    void theDefaultDepthFitsTheDefaultStackOfANewThread() throws Exception {
        // Event-loop threads have the default stack; decoding at the maximum depth must not overflow it.
        Object deep = nest(DecodeLimits.DEFAULT.maxDepth() - 2);
        ByteBuf frame = codec.encodeFrame(ALLOC, deep);
        try {
            frame.skipBytes(Frames.HEADER_BYTES);
            Object[] decoded = new Object[1];
            Throwable[] failure = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    decoded[0] = codec.decode(frame);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            t.start();
            t.join(10_000);
            assertThat(failure[0]).isNull();
            assertThat(decoded[0]).isEqualTo(deep);
        } finally {
            frame.release();
        }
    }

    private static Object nest(int depth) {
        Object o = "leaf";
        for (int i = 0; i < depth; i++) {
            o = i % 2 == 0 ? new Node(o) : new ArrayList<>(List.of(o));
        }
        return o;
    }

    // --- every serializer is audited ---------------------------------------------------------------------

    /**
     * Serializers that allocate nothing from a declared count (fixed size), or only through
     * {@link BoundedInput}'s checked readers (strings, primitive arrays, BigInteger's bytes).
     * A new default registration whose serializer is not here or bounded fails this test: audit it.
     */
    private static final Set<Class<?>> AUDITED = Set.of(
            DefaultSerializers.IntSerializer.class, DefaultSerializers.LongSerializer.class,
            DefaultSerializers.DoubleSerializer.class, DefaultSerializers.FloatSerializer.class,
            DefaultSerializers.BooleanSerializer.class, DefaultSerializers.ByteSerializer.class,
            DefaultSerializers.CharSerializer.class, DefaultSerializers.ShortSerializer.class,
            DefaultSerializers.StringSerializer.class, DefaultSerializers.UUIDSerializer.class,
            DefaultSerializers.BigIntegerSerializer.class, DefaultSerializers.BigDecimalSerializer.class,
            DefaultSerializers.CollectionsEmptyListSerializer.class, DefaultSerializers.CollectionsEmptySetSerializer.class,
            DefaultSerializers.CollectionsEmptyMapSerializer.class, DefaultSerializers.CollectionsSingletonListSerializer.class,
            DefaultSerializers.CollectionsSingletonSetSerializer.class, DefaultSerializers.CollectionsSingletonMapSerializer.class,
            DefaultArraySerializers.ByteArraySerializer.class, DefaultArraySerializers.IntArraySerializer.class,
            DefaultArraySerializers.LongArraySerializer.class, DefaultArraySerializers.DoubleArraySerializer.class,
            DefaultArraySerializers.FloatArraySerializer.class, DefaultArraySerializers.CharArraySerializer.class,
            DefaultArraySerializers.ShortArraySerializer.class,
            TimeSerializers.DurationSerializer.class, TimeSerializers.InstantSerializer.class,
            TimeSerializers.LocalDateSerializer.class, TimeSerializers.LocalDateTimeSerializer.class,
            OptionalSerializers.OptionalSerializer.class);

    @Test
    void everyDefaultRegistrationUsesABoundedOrAuditedSerializer() {
        List<String> unaudited = new ArrayList<>();
        for (Registrations.Entry e : Registrations.builder().build().entries()) {
            Serializer<?> s = codec.serializerOf(e.type());
            if (!BoundedSerializers.isBounded(s) && !AUDITED.contains(s.getClass())) {
                unaudited.add(e.type().getName() + " -> " + s.getClass().getName());
            }
        }
        Serializer<?> string = codec.serializerOf(String.class);
        assertThat(AUDITED).contains(string.getClass());
        assertThat(unaudited).isEmpty();
    }

    @Test
    void userRegisteredCollectionsAndArraysAreBoundedToo() {
        KryoCodec user = new KryoCodec(Registrations.builder()
                .register(java.util.Vector.class, 1000)
                .register(java.util.concurrent.ConcurrentHashMap.class, 1001)
                .register(Empty[].class, 1002)
                .build(), MAX_FRAME);
        assertThat(BoundedSerializers.isBounded(user.serializerOf(java.util.Vector.class))).isTrue();
        assertThat(BoundedSerializers.isBounded(user.serializerOf(java.util.concurrent.ConcurrentHashMap.class))).isTrue();
        assertThat(BoundedSerializers.isBounded(user.serializerOf(Empty[].class))).isTrue();
        assertThat(BoundedSerializers.isBounded(user.serializerOf(LinkedList.class))).isTrue();
    }

    // --- requireEncodable ------------------------------------------------------------------------------

    @Test
    void requireEncodableAcceptsRegisteredAndKryoBuiltInClassesAndNamesTheOthers() {
        codec.requireEncodable(null);
        codec.requireEncodable("a String is one of Kryo's own");
        codec.requireEncodable(42);
        codec.requireEncodable(List.of(1));
        codec.requireEncodable(new Empty());
        record NotRegistered() {
        }
        SerializationException e = catchThrowableOfType(SerializationException.class,
                () -> codec.requireEncodable(new NotRegistered()));
        assertThat(e.className()).isEqualTo(NotRegistered.class.getName());
        assertThat(e).hasMessageContaining("[" + NotRegistered.class.getName() + "] is not registered");
    }

    private static void decodeQuietly(KryoCodec c, byte[] body) {
        try {
            c.decode(Unpooled.wrappedBuffer(body));
        } catch (SerializationException ignored) {
            // only warming up
        }
    }
}
