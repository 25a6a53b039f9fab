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

    /** The function, then its arguments one by one (each with its class id: they obey registration as messages do). */
    static final WireCodec<Protocol.Call> CALL = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.Call c) {
            out.writeObject(c.fn());
            out.writeInt(c.args().size());
            for (Object a : c.args()) {
                out.writeObject(a);
            }
        }

        @Override
        public Protocol.Call read(WireReader in) {
            Object fn = in.readObject();
            int n = in.readInt();
            if (n < 0 || n > MAX_CALL_ARGS) {
                throw new IllegalArgumentException("a function call with [" + n + "] arguments; at most " + MAX_CALL_ARGS);
            }
            List<Object> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                args.add(in.readObject());
            }
            return new Protocol.Call(fn, args);
        }
    };

    /** Task's function types take at most three arguments; a count above is a broken or hostile peer. */
    static final int MAX_CALL_ARGS = 3;

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
            out.writeInt(p.returned());
            writeList(out, p.items());
        }

        @Override
        public ChannelMessages.QueuePut read(WireReader in) {
            long system = in.readLong();
            long wait = in.readLong();
            int returned = in.readInt();
            return new ChannelMessages.QueuePut(system, readList(in), wait, returned);
        }
    };

    /** A producer's batch (the queue's hot path, as {@link #QUEUE_PUT}). */
    static final WireCodec<ChannelMessages.QueueBatch> QUEUE_BATCH = new WireCodec<>() {
        @Override
        public void write(WireWriter out, ChannelMessages.QueueBatch b) {
            out.writeLong(b.system());
            out.writeBoolean(b.last());
            out.writeInt(b.returned());
            writeList(out, b.items());
        }

        @Override
        public ChannelMessages.QueueBatch read(WireReader in) {
            long system = in.readLong();
            boolean last = in.readBoolean();
            int returned = in.readInt();
            return new ChannelMessages.QueueBatch(system, readList(in), last, returned);
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
    // class id per element (pool chunks are usually such lists); a chunk of calls of one function
    // writes the function once; anything else element by element.
    private static final int MIXED = 0;
    private static final int INTEGERS = 1;
    private static final int LONGS = 2;
    private static final int STRINGS = 3;
    /** A pool map's chunk: calls of one function, one argument each; the function is written once. */
    private static final int CALLS = 4;

    private static void writeList(WireWriter out, List<?> items) {
        int layout = layoutOf(items);
        out.writeInt(layout);
        if (layout == CALLS) { // one function, then its arguments as a list of their own (often all Integer)
            out.writeObject(((Protocol.Call) items.get(0)).fn());
            List<Object> args = new ArrayList<>(items.size());
            items.forEach(c -> args.add(((Protocol.Call) c).args().get(0)));
            writeList(out, args);
            return;
        }
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
        if (items.get(0) instanceof Protocol.Call c0 && c0.args().size() == 1) {
            for (Object o : items) {
                if (!(o instanceof Protocol.Call c) || c.fn() != c0.fn() || c.args().size() != 1) {
                    return MIXED;
                }
            }
            return CALLS;
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
        return readList(in, true);
    }

    private static List<Object> readList(WireReader in, boolean callsAllowed) {
        int layout = in.readInt();
        if (layout == CALLS) {
            if (!callsAllowed) { // the arguments of calls are never calls: a peer that nests them is broken or hostile
                throw new IllegalArgumentException("a list of calls inside a list of calls");
            }
            Object fn = in.readObject();
            List<Object> args = readList(in, false);
            List<Object> calls = new ArrayList<>(args.size());
            for (Object a : args) {
                calls.add(new Protocol.Call(fn, java.util.Collections.singletonList(a)));
            }
            return calls;
        }
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
