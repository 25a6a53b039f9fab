package io.procactor.transport.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.ByteBufferInput;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.procactor.transport.Registrations;
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
 */
public final class KryoCodec {
    private static final int INITIAL_BUFFER = 4096;

    private final Registrations registrations;
    private final int maxBodySize;
    private final ThreadLocal<Worker> workers;
    /** For Netty's own threads (every decode, most encodes): an indexed slot instead of a hash probe. */
    private final FastThreadLocal<Worker> ioWorkers;

    /** One Kryo with its reusable input and output. */
    private static final class Worker {
        final Kryo kryo;
        final Output output;
        final ByteBufferInput input = new ByteBufferInput();

        Worker(Kryo kryo, int maxBody) {
            this.kryo = kryo;
            this.output = new Output(Math.min(INITIAL_BUFFER, maxBody), maxBody);
        }
    }

    public KryoCodec(Registrations registrations, int maxFrameSize) {
        this.registrations = registrations;
        this.maxBodySize = maxFrameSize - Frames.VERSION_AND_KIND;
        this.workers = ThreadLocal.withInitial(() -> new Worker(newKryo(), maxBodySize));
        this.ioWorkers = new FastThreadLocal<>() {
            @Override
            protected Worker initialValue() {
                return new Worker(newKryo(), maxBodySize);
            }
        };
    }

    private Worker worker() {
        return Thread.currentThread() instanceof FastThreadLocalThread ? ioWorkers.get() : workers.get();
    }

    public Registrations registrations() {
        return registrations;
    }

    private Kryo newKryo() {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        // Classes without a no-arg constructor are created without calling one, as Java serialization does.
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        // Kryo has a UUID serializer but does not make it the default; its FieldSerializer fallback
        // needs reflective access to java.util, which JDK 16+ denies, so every Kryo failed to build.
        kryo.addDefaultSerializer(UUID.class, DefaultSerializers.UUIDSerializer.class);
        for (Registrations.Entry e : registrations.entries()) {
            if (e.codec() != null) {
                kryo.register(e.type(), new CodecSerializer<>(e.codec()), e.id());
            } else {
                kryo.register(e.type(), e.id());
            }
        }
        return kryo;
    }

    /**
     * Encodes {@code message} into a complete MESSAGE frame (length, version, kind, body).
     *
     * @throws SerializationException naming the class when it is not registered or the frame is too large
     */
    public ByteBuf encodeFrame(ByteBufAllocator alloc, Object message) {
        Worker w = worker();
        try {
            Output out = w.output;
            out.reset();
            try {
                w.kryo.writeClassAndObject(out, message);
            } catch (SerializationException e) {
                throw e;
            } catch (RuntimeException e) {
                // Not only Kryo's own: a WireCodec or a serializer may throw anything.
                throw encodeFailure(message, e);
            }
            int bodyLength = out.position();
            ByteBuf frame = alloc.ioBuffer(Frames.HEADER_BYTES + bodyLength);
            frame.writeInt(Frames.VERSION_AND_KIND + bodyLength);
            frame.writeByte(Frames.VERSION);
            frame.writeByte(Frames.MESSAGE);
            frame.writeBytes(out.getBuffer(), 0, bodyLength);
            return frame;
        } finally {
            if (w.output.getBuffer().length > INITIAL_BUFFER * 256) {
                w.output.setBuffer(new byte[INITIAL_BUFFER], maxBodySize); // do not pin a huge buffer per thread
            }
        }
    }

    /**
     * Decodes one MESSAGE body, reading straight from the buffer without copying it.
     *
     * @throws SerializationException when the body is not exactly one object this table can read
     */
    public Object decode(ByteBuf body) {
        Worker w = worker();
        try {
            w.input.setBuffer(body.nioBuffer());
            Object message = w.kryo.readClassAndObject(w.input);
            int left = w.input.limit() - w.input.position();
            if (left != 0) {
                // A valid body is exactly one object: leftovers mean garbage or a reader out of step with its writer.
                String type = message == null ? "null" : message.getClass().getName();
                throw new SerializationException("cannot decode a message of " + body.readableBytes() + " bytes: ["
                        + left + "] bytes left over after reading a [" + type + "]", type, null);
            }
            return message;
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            // Not only Kryo's own: a WireCodec or a serializer may throw anything on bad input.
            throw new SerializationException("cannot decode a message of " + body.readableBytes() + " bytes: "
                    + firstLine(e.getMessage() != null ? e.getMessage() : e.toString()), null, e);
        }
    }

    private SerializationException encodeFailure(Object message, RuntimeException e) {
        String type = message == null ? "null" : message.getClass().getName();
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof KryoException && msg.startsWith("Buffer overflow")) {
            return new SerializationException("message of type [" + type + "] needs more than max-frame-size ["
                    + (maxBodySize + Frames.VERSION_AND_KIND) + " bytes]; send smaller messages or raise procactor.transport.max-frame-size",
                    type, e);
        }
        String unregistered = unregisteredClass(msg);
        if (unregistered != null) {
            return new SerializationException("class [" + unregistered + "] is not registered for serialization"
                    + (unregistered.equals(type) ? "" : " (found inside a message of type [" + type + "])"), unregistered, e);
        }
        return new SerializationException("cannot serialize a message of type [" + type + "]: " + firstLine(msg), type, e);
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
                @Override public void writeObject(Object v) { kryo.writeClassAndObject(output, v); }
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
