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

    static final WireCodec<Protocol.BatchPart> BATCH_PART = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.BatchPart p) {
            out.writeLong(p.id());
            writeList(out, p.results());
        }

        @Override
        public Protocol.BatchPart read(WireReader in) {
            return new Protocol.BatchPart(in.readLong(), readList(in));
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

    // The control records of a process's start and end. Kryo's record serializer would do, but its first
    // use costs a cold child milliseconds (streams, and a proxy class the JVM generates for an annotation it
    // reads when a JDK method is first called by reflection), on the way to its first message. Each writes
    // its components in the order that serializer did (by name): records of strings and ints only keep
    // their bytes; the others changed with Frames.PROTOCOL_VERSION 3.

    /** A record of one string, which is all of its wire form. */
    private abstract static class OneString<T> implements WireCodec<T> {
        abstract String field(T value);

        abstract T make(String field);

        @Override
        public final void write(WireWriter out, T value) {
            out.writeString(field(value));
        }

        @Override
        public final T read(WireReader in) {
            return make(in.readString());
        }
    }

    static final WireCodec<Protocol.ChildReady> CHILD_READY = new OneString<>() {
        @Override String field(Protocol.ChildReady r) { return r.endpoint(); }
        @Override Protocol.ChildReady make(String s) { return new Protocol.ChildReady(s); }
    };

    static final WireCodec<Protocol.ActorStarted> ACTOR_STARTED = new OneString<>() {
        @Override String field(Protocol.ActorStarted r) { return r.name(); }
        @Override Protocol.ActorStarted make(String s) { return new Protocol.ActorStarted(s); }
    };

    static final WireCodec<Protocol.Adopt> ADOPT = new OneString<>() {
        @Override String field(Protocol.Adopt r) { return r.name(); }
        @Override Protocol.Adopt make(String s) { return new Protocol.Adopt(s); }
    };

    static final WireCodec<Protocol.Resolve> RESOLVE = new OneString<>() {
        @Override String field(Protocol.Resolve r) { return r.process(); }
        @Override Protocol.Resolve make(String s) { return new Protocol.Resolve(s); }
    };

    static final WireCodec<Protocol.Terminate> TERMINATE = new OneString<>() {
        @Override String field(Protocol.Terminate r) { return r.reason(); }
        @Override Protocol.Terminate make(String s) { return new Protocol.Terminate(s); }
    };

    static final WireCodec<Protocol.SpawnActor> SPAWN_ACTOR = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.SpawnActor s) {
            out.writeString(s.name());
            out.writeString(s.className());
            writeList(out, s.args());
        }

        @Override
        public Protocol.SpawnActor read(WireReader in) {
            return new Protocol.SpawnActor(in.readString(), in.readString(), readList(in, false));
        }
    };

    static final WireCodec<Protocol.PeerUp> PEER_UP = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.PeerUp p) {
            out.writeString(p.endpoint());
            out.writeString(p.process());
        }

        @Override
        public Protocol.PeerUp read(WireReader in) {
            String endpoint = in.readString();
            return new Protocol.PeerUp(in.readString(), endpoint);
        }
    };

    static final WireCodec<Protocol.Undeliverable> UNDELIVERABLE = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.Undeliverable u) {
            out.writeString(u.reason());
            out.writeString(u.targetPath());
        }

        @Override
        public Protocol.Undeliverable read(WireReader in) {
            String reason = in.readString();
            return new Protocol.Undeliverable(in.readString(), reason);
        }
    };

    static final WireCodec<Protocol.Exiting> EXITING = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.Exiting e) {
            out.writeInt(e.code());
            out.writeString(e.detail());
            out.writeString(e.reason());
        }

        @Override
        public Protocol.Exiting read(WireReader in) {
            int code = in.readInt();
            String detail = in.readString();
            return new Protocol.Exiting(code, in.readString(), detail);
        }
    };

    static final WireCodec<Protocol.Failure> FAILURE = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.Failure f) {
            out.writeString(f.actorPath());
            out.writeString(f.className());
            out.writeString(f.message());
            out.writeString(f.stackTrace());
        }

        @Override
        public Protocol.Failure read(WireReader in) {
            String actorPath = in.readString();
            return new Protocol.Failure(in.readString(), in.readString(), in.readString(), actorPath);
        }
    };

    /** Its failure as an object of its own: null, or a {@link Protocol.Failure} with its class id. */
    static final WireCodec<Protocol.StartFailed> START_FAILED = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.StartFailed f) {
            out.writeObject(f.failure());
        }

        @Override
        public Protocol.StartFailed read(WireReader in) {
            return new Protocol.StartFailed(failure(in.readObject()));
        }
    };

    static final WireCodec<Protocol.ActorStopped> ACTOR_STOPPED = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.ActorStopped s) {
            out.writeString(s.name());
            out.writeObject(s.failure());
        }

        @Override
        public Protocol.ActorStopped read(WireReader in) {
            return new Protocol.ActorStopped(in.readString(), failure(in.readObject()));
        }
    };

    static final WireCodec<Protocol.ProcessDown> PROCESS_DOWN = new WireCodec<>() {
        @Override
        public void write(WireWriter out, Protocol.ProcessDown d) {
            out.writeString(d.process());
            out.writeInt(d.code());
            out.writeInt(d.signal());
            out.writeString(d.reason());
            out.writeString(d.detail());
            writeList(out, d.stderrTail());
            out.writeBoolean(d.restarting());
        }

        @Override
        public Protocol.ProcessDown read(WireReader in) {
            String process = in.readString();
            int code = in.readInt();
            int signal = in.readInt();
            String reason = in.readString();
            String detail = in.readString();
            List<String> tail = strings(readList(in, false));
            return new Protocol.ProcessDown(process, code, signal, reason, detail, tail, in.readBoolean());
        }
    };

    private static Protocol.Failure failure(Object o) {
        if (o == null || o instanceof Protocol.Failure) {
            return (Protocol.Failure) o;
        }
        throw new IllegalArgumentException("a failure of class [" + o.getClass().getName() + "]");
    }

    private static List<String> strings(List<Object> items) {
        List<String> strings = new ArrayList<>(items.size());
        for (Object o : items) {
            if (!(o instanceof String)) {
                throw new IllegalArgumentException("a list of strings holding a [" + (o == null ? "null" : o.getClass().getName()) + "]");
            }
            strings.add((String) o);
        }
        return strings;
    }

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
            return new io.procactor.ExitStatus(code, signal, reason, detail, strings(readList(in, false)));
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

    private static final int LIST_PRESIZE_LIMIT = 4096;

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
        if (n < 0) {
            throw new IllegalArgumentException("a list of [" + n + "] items");
        }
        // not sized by the count alone: a forged count then fails at the end of the frame, not with an
        // OutOfMemoryError (which ends a child: -XX:+ExitOnOutOfMemoryError)
        List<Object> items = new ArrayList<>(Math.min(n, LIST_PRESIZE_LIMIT));
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
