package io.procactor.internal.wire;

import io.procactor.ActorRef;
import io.procactor.transport.WireCodec;
import io.procactor.transport.WireReader;
import io.procactor.transport.WireWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written codecs for the records on the hot path (every message, every pool task): Kryo's
 * record serializer reads components through reflection. Field order here is the wire format.
 *
 * <p>Threads: stateless codecs, called on any encoding (sender or I/O) or decoding (I/O) thread.
 */
final class WireCodecs {
    private WireCodecs() {
    }

    static final WireCodec<Protocol.Envelope> ENVELOPE = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.Envelope e) {
            out.writeObject(e.target());
            out.writeObject(e.sender());
            out.writeObject(e.body());
        }

        @Override
        public Protocol.Envelope read(WireReader in) {
            return new Protocol.Envelope((ActorRef) in.readObject(), (ActorRef) in.readObject(), in.readObject());
        }
    };

    static final WireCodec<Protocol.Batch> BATCH = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.Batch b) {
            out.writeLong(b.id());
            writeList(out, b.items());
        }

        @Override
        public Protocol.Batch read(WireReader in) {
            return new Protocol.Batch(in.readLong(), readList(in));
        }
    };

    static final WireCodec<Protocol.BatchResult> BATCH_RESULT = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.BatchResult r) {
            out.writeLong(r.id());
            writeList(out, r.results());
            out.writeLong(r.serviceNanos());
            out.writeInt(r.queueDepth());
        }

        @Override
        public Protocol.BatchResult read(WireReader in) {
            return new Protocol.BatchResult(in.readLong(), readList(in), in.readLong(), in.readInt());
        }
    };

    /** Writes the reason by name: an enum's ordinal must never be on the wire. */
    static final WireCodec<io.procactor.ExitStatus> EXIT_STATUS = new WireCodec<>() {
        @Override
        public void write(WireWriter out, io.procactor.ExitStatus s) {
            out.writeInt(s.code());
            out.writeInt(s.signal());
            out.writeString(s.reason().name());
            out.writeString(s.detail());
            writeList(out, new ArrayList<>(s.stderrTail()));
        }

        @Override
        public io.procactor.ExitStatus read(WireReader in) {
            int code = in.readInt();
            int signal = in.readInt();
            io.procactor.ExitStatus.Reason reason = io.procactor.ExitStatus.Reason.valueOf(in.readString());
            String detail = in.readString();
            List<String> tail = new ArrayList<>();
            for (Object o : readList(in)) {
                tail.add((String) o);
            }
            return new io.procactor.ExitStatus(code, signal, reason, detail, tail);
        }
    };

    /** A queue's hot path: lists of one element type travel without a class id per item (see {@link #writeList}). */
    static final WireCodec<ChannelMessages.QueuePut> QUEUE_PUT = new WireCodec<>() {
        @Override
        public void write(WireWriter out, ChannelMessages.QueuePut p) {
            out.writeLong(p.system());
            out.writeLong(p.waitNanos());
            writeList(out, p.items());
        }

        @Override
        public ChannelMessages.QueuePut read(WireReader in) {
            long system = in.readLong();
            long wait = in.readLong();
            return new ChannelMessages.QueuePut(system, readList(in), wait);
        }
    };

    static final WireCodec<ChannelMessages.QueueTake> QUEUE_TAKE = new WireCodec<>() {
        @Override
        public void write(WireWriter out, ChannelMessages.QueueTake t) {
            out.writeLong(t.system());
            out.writeInt(t.max());
            out.writeLong(t.waitNanos());
        }

        @Override
        public ChannelMessages.QueueTake read(WireReader in) {
            return new ChannelMessages.QueueTake(in.readLong(), in.readInt(), in.readLong());
        }
    };

    static final WireCodec<ChannelMessages.Items> ITEMS = new WireCodec<>() {
        @Override
        public void write(WireWriter out, ChannelMessages.Items i) {
            writeList(out, i.items());
        }

        @Override
        public ChannelMessages.Items read(WireReader in) {
            return new ChannelMessages.Items(readList(in));
        }
    };

    // List layouts: a list whose elements are all Integer, Long or String is written without a
    // class id per element (pool chunks are usually such lists); anything else element by element.
    private static final int MIXED = 0;
    private static final int INTEGERS = 1;
    private static final int LONGS = 2;
    private static final int STRINGS = 3;

    private static void writeList(WireWriter out, List<?> items) {
        int layout = layoutOf(items);
        out.writeInt(layout);
        out.writeInt(items.size());
        switch (layout) {
            case INTEGERS -> items.forEach(i -> out.writeInt((Integer) i));
            case LONGS -> items.forEach(l -> out.writeLong((Long) l));
            case STRINGS -> items.forEach(s -> out.writeString((String) s));
            default -> items.forEach(out::writeObject);
        }
    }

    private static int layoutOf(List<?> items) {
        if (items.isEmpty() || items.get(0) == null) {
            return MIXED;
        }
        Class<?> first = items.get(0).getClass();
        int layout = first == Integer.class ? INTEGERS : first == Long.class ? LONGS : first == String.class ? STRINGS : MIXED;
        if (layout != MIXED) {
            for (Object o : items) {
                if (o == null || o.getClass() != first) {
                    return MIXED;
                }
            }
        }
        return layout;
    }

    private static List<Object> readList(WireReader in) {
        int layout = in.readInt();
        int n = in.readInt();
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(switch (layout) {
                case INTEGERS -> in.readInt();
                case LONGS -> in.readLong();
                case STRINGS -> in.readString();
                default -> in.readObject();
            });
        }
        return items;
    }
}
