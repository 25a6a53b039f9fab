package io.procactor.transport.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.procactor.transport.DecodeLimits;
import io.procactor.transport.MessageLimitException;
import io.procactor.transport.Registrations;
import io.procactor.transport.FrameTooLargeException;
import io.procactor.transport.SerializationException;
import io.procactor.transport.WireCodec;
import io.procactor.transport.WireReader;
import io.procactor.transport.WireWriter;
import java.util.UUID;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Encodes messages into MESSAGE frames and decodes frame bodies, with Kryo configured from one
 * {@link Registrations} table. Kryo is not thread-safe, so instances (with their buffers) are
 * kept one per thread (encoding and decoding never re-enter on a thread, and a shared pool cost a
 * lock on every message); the codec itself is thread-safe.
 *
 * <p>Decoding is bounded by the frame and by {@link DecodeLimits}: see {@link BoundedInput} and
 * {@link BoundedSerializers}. Encoding applies the same limits, so a sender learns at once that a
 * message would be refused.
 */
public final class KryoCodec {
    private static final int INITIAL_BUFFER = 4096;
    private static final String MAX_DEPTH_EXCEEDED = "Max depth exceeded"; // Kryo's message for setMaxDepth

    private final Registrations registrations;
    private final int maxBodySize;
    private final DecodeLimits limits;
    private final ThreadLocal<Worker> workers;
    /** For Netty's own threads (every decode, most encodes): an indexed slot instead of a hash probe. */
    private final FastThreadLocal<Worker> ioWorkers;

    /** One Kryo with its reusable input and output. */
    private static final class Worker {
        final Kryo kryo;
        final BoundedOutput output;
        final BoundedInput input;

        Worker(Kryo kryo, int maxBody, DecodeLimits limits) {
            this.kryo = kryo;
            this.output = new BoundedOutput(Math.min(INITIAL_BUFFER, maxBody), maxBody);
            this.input = new BoundedInput(limits);
        }
    }

    /** A codec with {@link DecodeLimits#DEFAULT}. */
    public KryoCodec(Registrations registrations, int maxFrameSize) {
        this(registrations, maxFrameSize, DecodeLimits.DEFAULT);
    }

    public KryoCodec(Registrations registrations, int maxFrameSize, DecodeLimits limits) {
        this.registrations = registrations;
        this.maxBodySize = maxFrameSize - Frames.VERSION_AND_KIND;
        this.limits = limits;
        this.workers = ThreadLocal.withInitial(() -> new Worker(newKryo(), maxBodySize, limits));
        this.ioWorkers = new FastThreadLocal<>() {
            @Override
            protected Worker initialValue() {
                return new Worker(newKryo(), maxBodySize, limits);
            }
        };
    }

    private Worker worker() {
        Thread t = Thread.currentThread();
        if (t instanceof FastThreadLocalThread) {
            return ioWorkers.get();
        }
        Owned last = lastWorker;
        if (last != null && last.thread == t) {
            return last.worker;
        }
        Worker w = workers.get();
        lastWorker = new Owned(t, w);
        return w;
    }

    /** A worker and the thread it belongs to. */
    private record Owned(Thread thread, Worker worker) {
    }

    /**
     * The worker of the last other thread that used this codec: an actor sending a stream from a
     * dispatcher thread finds it without a ThreadLocal probe on every message. It may keep one
     * finished thread's worker alive until another thread encodes.
     */
    private volatile Owned lastWorker;

    public Registrations registrations() {
        return registrations;
    }

    public DecodeLimits limits() {
        return limits;
    }

    private Kryo newKryo() {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.setMaxDepth(limits.maxDepth());
        // Classes without a no-arg constructor are created without calling one, as Java serialization does.
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        // Kryo has a UUID serializer but does not make it the default; its FieldSerializer fallback
        // needs reflective access to java.util, which JDK 16+ denies, so every Kryo failed to build.
        kryo.addDefaultSerializer(UUID.class, DefaultSerializers.UUIDSerializer.class);
        for (Registrations.Entry e : registrations.entries()) {
            // every lambda class is one of Kryo's "closures", looked up under ClosureSerializer.Closure
            Class<?> type = e.type() == Registrations.LAMBDAS ? ClosureSerializer.Closure.class : e.type();
            if (e.codec() != null) {
                BoundedSerializers.bound(kryo, kryo.register(type, new CodecSerializer<>(e.codec()), e.id()));
            } else {
                LazySerializer.register(kryo, type, e.id());
            }
        }
        return kryo;
    }

    /** The serializer this codec's Kryo uses for {@code type}; for tests that audit the bounds. */
    Serializer<?> serializerOf(Class<?> type) {
        return LazySerializer.resolved(worker().kryo.getRegistration(type));
    }

    /**
     * Checks that {@code message}'s class can be encoded (registered here or one of Kryo's
     * built-in types), without encoding it; classes nested inside are checked when it is encoded.
     *
     * @throws SerializationException naming the class when it is not registered
     */
    public void requireEncodable(Object message) {
        if (message == null) {
            return;
        }
        try {
            worker().kryo.getRegistration(message.getClass());
        } catch (IllegalArgumentException e) { // Kryo: "Class is not registered: ..."
            throw encodeFailure(message, e);
        }
    }

    /** Writes {@code message} (class and object) into the worker's reset output buffer, mapping every failure to ours. */
    private BoundedOutput writeBody(Worker w, Object message) {
        BoundedOutput out = w.output;
        out.reset();
        boolean written = false;
        try {
            w.kryo.writeClassAndObject(out, message);
            written = true;
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            // Not only Kryo's own: a WireCodec or a serializer may throw anything.
            throw encodeFailure(message, e);
        } catch (StackOverflowError e) {
            throw new MessageLimitException("message of type [" + typeName(message) + "] nests too deeply for this thread's stack;"
                    + " send flatter messages", null, e);
        } finally {
            if (!written) {
                discard(w);
            }
        }
        return out;
    }

    /**
     * Drops the calling thread's worker, whose Kryo failed half-way through an object: Kryo keeps a
     * stack of generic types that such a failure leaves entries on, and a later message's nested
     * collection took its elements' type from them. The thread's next use builds a new one
     * (serializers are made lazily: about a millisecond).
     */
    private void discard(Worker w) {
        if (Thread.currentThread() instanceof FastThreadLocalThread) {
            ioWorkers.remove();
        } else {
            workers.remove();
            Owned last = lastWorker;
            if (last != null && last.worker == w) {
                lastWorker = null;
            }
        }
    }

    /**
     * Encodes {@code message} into a complete MESSAGE frame (length, version, kind, body).
     *
     * @throws SerializationException naming the class when it is not registered or the frame is too large
     * @throws MessageLimitException when the message breaks the {@link DecodeLimits} the receiver applies
     */
    public ByteBuf encodeFrame(ByteBufAllocator alloc, Object message) {
        Worker w = worker();
        try {
            BoundedOutput out = writeCheckedBody(w, message);
            int bodyLength = out.position();
            ByteBuf frame = alloc.ioBuffer(Frames.HEADER_BYTES + bodyLength);
            Frames.writeHeader(frame, Frames.MESSAGE, bodyLength);
            frame.writeBytes(out.getBuffer(), 0, bodyLength);
            return frame;
        } finally {
            trim(w);
        }
    }

    /** Receives a MESSAGE body to frame; the bytes are valid only during the call (they are this thread's buffer). */
    interface FrameSink {
        boolean accept(byte[] body, int length);
    }

    /**
     * Encodes {@code message} as {@link #encodeFrame} does and hands the body to {@code sink} on
     * this thread's reusable buffer, so the sink can frame it wherever it wants (a connection's
     * batch buffer) without a buffer of its own per message.
     *
     * @return what {@code sink} returned
     * @throws SerializationException as {@link #encodeFrame}
     * @throws MessageLimitException as {@link #encodeFrame}
     */
    boolean encodeFrameTo(Object message, FrameSink sink) {
        Worker w = worker();
        try {
            BoundedOutput out = writeCheckedBody(w, message);
            return sink.accept(out.getBuffer(), out.position());
        } finally {
            trim(w);
        }
    }

    /** {@link #writeBody}, then the element budget the receiver will apply. */
    private BoundedOutput writeCheckedBody(Worker w, Object message) {
        BoundedOutput out = writeBody(w, message);
        int bodyLength = out.position();
        long allowed = Math.max(limits.maxElements(), bodyLength);
        if (out.declaredElements() > allowed) {
            throw new MessageLimitException("message of type [" + typeName(message) + "] holds [" + out.declaredElements()
                    + "] collection and map elements in [" + bodyLength + "] bytes; a message may hold at most as many as"
                    + " its bytes or max-elements [" + limits.maxElements() + "], whichever is more."
                    + " Send smaller messages or raise max-elements on every process", null, null);
        }
        return out;
    }

    /** Does not let a thread pin a huge output buffer after a big message. */
    private void trim(Worker w) {
        if (w.output.getBuffer().length > INITIAL_BUFFER * 256) {
            w.output.setBuffer(new byte[INITIAL_BUFFER], maxBodySize);
        }
    }

    /**
     * Decodes one MESSAGE body (copied into this thread's array first, see {@link BoundedInput}).
     *
     * @throws MessageLimitException when the body declares more than it holds or the limits allow;
     *                               nothing that large was allocated. The peer is broken or hostile.
     * @throws SerializationException when the body is not exactly one object this table can read
     */
    public Object decode(ByteBuf body) {
        return decode(body, body.readerIndex(), body.readableBytes());
    }

    /** As {@link #decode(ByteBuf)}, the body being {@code length} bytes of {@code buf} from {@code index}. */
    public Object decode(ByteBuf buf, int index, int length) {
        Worker w = worker();
        w.input.start(buf, index, length);
        return decodeStarted(w, length);
    }

    /**
     * Decodes one body from {@code body}'s remaining bytes (a MESSAGE body, or an item that
     * {@link #encodeBody} wrote into shared memory), as {@link #decode(ByteBuf)}.
     */
    public Object decodeBody(java.nio.ByteBuffer body) {
        Worker w = worker();
        int length = body.remaining();
        w.input.start(body);
        Object message = decodeStarted(w, length);
        body.position(body.limit()); // read to the end, as a reader of the buffer itself would leave it
        return message;
    }

    /** Decodes the body the worker's input was just started on. */
    private Object decodeStarted(Worker w, int length) {
        boolean read = false;
        try {
            Object message = w.kryo.readClassAndObject(w.input);
            read = true;
            int left = w.input.remaining();
            if (left != 0) {
                // A valid body is exactly one object: leftovers mean garbage or a reader out of step with its writer.
                String type = typeName(message);
                throw new SerializationException("cannot decode a message of " + length + " bytes: ["
                        + left + "] bytes left over after reading a [" + type + "]", type, null);
            }
            return message;
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            // Not only Kryo's own: a WireCodec or a serializer may throw anything on bad input.
            String limit = limitBroken(e);
            if (limit != null) {
                throw new MessageLimitException("cannot decode a message of " + length + " bytes: " + limit, null, e);
            }
            throw new SerializationException("cannot decode a message of " + length + " bytes: "
                    + firstLine(e.getMessage() != null ? e.getMessage() : e.toString()), null, e);
        } catch (StackOverflowError e) {
            throw new MessageLimitException("cannot decode a message of " + length + " bytes: it nests too deeply for this thread's stack",
                    null, e);
        } finally {
            w.input.finish();
            if (!read) {
                discard(w); // as after a failed write
            }
        }
    }

    /** Receives an encoded body; the bytes are valid only during the call (they are this thread's buffer). */
    public interface BodySink {
        void accept(byte[] bytes, int length);
    }

    /**
     * Encodes {@code message} as a body without a frame around it (for items that cross through
     * shared memory) and hands it to {@code sink} on this thread's reusable buffer: no copy.
     *
     * @throws SerializationException naming the class when it is not registered or too large
     */
    public void encodeBody(Object message, BodySink sink) {
        Worker w = worker();
        try {
            BoundedOutput out = writeBody(w, message);
            sink.accept(out.getBuffer(), out.position());
        } finally {
            trim(w);
        }
    }

    /** What limit {@code e} (or a cause) reports as broken, or null when it reports something else. */
    private String limitBroken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LimitViolation) {
                return firstLine(t.getMessage());
            }
            if (t instanceof KryoException && t.getMessage() != null && t.getMessage().startsWith(MAX_DEPTH_EXCEEDED)) {
                return "objects nest deeper than max-depth [" + limits.maxDepth() + "]";
            }
            if (t instanceof StackOverflowError) { // Kryo's record and field serializers wrap it
                return "objects nest too deeply for this thread's stack (max-depth is [" + limits.maxDepth() + "])";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String typeName(Object message) {
        return message == null ? "null" : message.getClass().getName();
    }

    private SerializationException encodeFailure(Object message, RuntimeException e) {
        // Name what the user sent, not the runtime's container around it (an envelope, a batch):
        // a hand-written codec's writeObject tags a failure with the object it was writing.
        Object described = message;
        RuntimeException cause = e;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof InnerFailure f) {
                described = f.value;
                cause = f.failure;
            }
        }
        if (cause instanceof SerializationException se) {
            return se; // a codec's own verdict, naming its class and the fix
        }
        String type = typeName(described);
        String msg = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        if (limitBroken(cause) != null) {
            return new MessageLimitException("message of type [" + type + "] cannot be sent: " + limitBroken(cause)
                    + "; send flatter messages or raise max-depth on every process", null, cause);
        }
        if (msg.contains("Buffer overflow")) {
            return new FrameTooLargeException("message of type [" + type + "] needs more than max-frame-size ["
                    + (maxBodySize + Frames.VERSION_AND_KIND) + " bytes]; send smaller messages or raise procactor.transport.max-frame-size",
                    type, cause);
        }
        String unregistered = unregisteredClass(msg);
        if (unregistered != null) {
            String field = fieldPath(msg);
            String where = unregistered.equals(type) && field.isEmpty() ? ""
                    : field.isEmpty() ? " (found inside a message of type [" + type + "])"
                    : " (found in field [" + field + "] of a message of type [" + type + "])";
            return new SerializationException("class [" + unregistered + "] is not registered for serialization" + where,
                    unregistered, cause);
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.lang.reflect.InaccessibleObjectException) {
                // a registered class of the JDK (or of a module) whose fields Kryo's default serializer cannot reach
                return new SerializationException("cannot serialize a message of type [" + type + "]: " + firstLine(t.getMessage())
                        + "; register a WireCodec for its class, send a class of your own instead, or open that package"
                        + " (--add-opens) on every process", type, cause);
            }
        }
        return new SerializationException("cannot serialize a message of type [" + type + "]: " + firstLine(msg), type, cause);
    }

    /**
     * The field path Kryo's "Serialization trace" gives (one {@code field (Class)} line per level,
     * innermost first), outermost first and joined with dots: {@code order.item}; empty if none.
     */
    static String fieldPath(String kryoMessage) {
        String marker = "Serialization trace:";
        int at = kryoMessage.indexOf(marker);
        if (at < 0) {
            return "";
        }
        java.util.ArrayDeque<String> path = new java.util.ArrayDeque<>();
        for (String line : kryoMessage.substring(at + marker.length()).split("\n")) {
            String l = line.strip();
            int paren = l.indexOf(" (");
            if (!l.isEmpty()) {
                path.addFirst(paren < 0 ? l : l.substring(0, paren));
            }
        }
        return String.join(".", path);
    }

    /** What a hand-written codec was writing with {@code writeObject} when {@code failure} happened. */
    private static final class InnerFailure extends RuntimeException {
        final Object value;
        final RuntimeException failure;

        InnerFailure(Object value, RuntimeException failure) {
            super(failure.getMessage(), failure, false, false);
            this.value = value;
            this.failure = failure;
        }
    }

    private static String unregisteredClass(String kryoMessage) {
        String marker = "Class is not registered: ";
        int at = kryoMessage.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int start = at + marker.length();
        int end = start;
        while (end < kryoMessage.length() && !Character.isWhitespace(kryoMessage.charAt(end))) {
            end++;
        }
        return kryoMessage.substring(start, end);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no detail)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Adapts a {@link WireCodec} to Kryo. */
    private static final class CodecSerializer<T> extends Serializer<T> {
        private final WireCodec<T> codec;

        CodecSerializer(WireCodec<T> codec) {
            super(false, true);
            this.codec = codec;
        }

        @Override
        public void write(Kryo kryo, Output output, T value) {
            codec.write(new WireWriter() {
                @Override public void writeString(String v) { output.writeString(v); }
                @Override public void writeLong(long v) { output.writeVarLong(v, false); }
                @Override public void writeInt(int v) { output.writeVarInt(v, false); }
                @Override public void writeBoolean(boolean v) { output.writeBoolean(v); }
                @Override public void writeObject(Object v) {
                    try {
                        kryo.writeClassAndObject(output, v);
                    } catch (InnerFailure f) {
                        throw f; // the innermost container's value is the one to name
                    } catch (RuntimeException e) {
                        throw new InnerFailure(v, e);
                    }
                }
            }, value);
        }

        @Override
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            return codec.read(new WireReader() {
                @Override public String readString() { return input.readString(); }
                @Override public long readLong() { return input.readVarLong(false); }
                @Override public int readInt() { return input.readVarInt(false); }
                @Override public boolean readBoolean() { return input.readBoolean(); }
                @Override public Object readObject() { return kryo.readClassAndObject(input); }
            });
        }
    }
}
