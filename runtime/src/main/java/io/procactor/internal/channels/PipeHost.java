package io.procactor.internal.channels;

import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.internal.wire.ChannelMessages;
import io.procactor.internal.wire.ChannelMessages.PipeClose;
import io.procactor.internal.wire.ChannelMessages.PipeOpen;
import io.procactor.internal.wire.ChannelMessages.PipeSend;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hosts a pipe ({@code ActorSystem.pipe}): two ends, 0 and 1. One-way pipes receive at end 0 and
 * send at end 1 (Python's {@code r, w = Pipe(duplex=False)}). Each process that uses an end first
 * registers its {@link PipeInbox} for it ({@link PipeOpen}, an ask); from then on sends are tells
 * and the host pushes each item at once to the inbox of the process that first opened the other
 * end, so neither send nor recv waits for a round trip. Items sent before the other end is opened
 * wait here and go to it when it opens. An end is closed by {@code close()} or when a process
 * that opened it exits (the host watches them); the other end's inboxes then get an
 * end-of-stream marker after the last item, and the closed end's own inboxes a closed marker.
 * Like Python's OS pipe, an end that no process has used yet cannot be missed.
 *
 * <p>Threading: an actor; one message at a time.
 */
public final class PipeHost extends HostActor {
    private final boolean duplex;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Object>[] waiting = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};
    /** Per end: the processes that opened it and their inboxes, first opener first (it receives). */
    @SuppressWarnings("unchecked")
    private final Map<String, ActorRef>[] holders = new Map[] {new LinkedHashMap<String, ActorRef>(),
            new LinkedHashMap<String, ActorRef>()};
    /** Why each end is closed, or null while it is open. */
    private final String[] closedBecause = new String[2];

    /** The pipe's rings in shared memory, or null when it has none; then items go through this host. */
    private final PipeRings rings;

    public PipeHost(String name, boolean duplex, long system) {
        this(name, duplex, system, "", 0L, 0);
    }

    /** A pipe whose items go through the ring segment at {@code ringPath} ("" for none): this host only tracks who holds each end. */
    public PipeHost(String name, boolean duplex, long system, String ringPath, long ringToken, int ringSize) {
        super("pipe [" + name + "]", system);
        this.duplex = duplex;
        this.rings = ringPath.isEmpty() ? null : PipeRings.of(ringPath, ringToken, ringSize, "pipe [" + name + "]");
    }

    @Override
    protected void handle(ChannelMessages.Op op) {
        if (op instanceof PipeSend s) {
            send(s);
        } else if (op instanceof PipeOpen o) {
            open(o);
        } else if (op instanceof PipeClose c) {
            close(c.end(), "its end " + c.end() + " was closed");
            reply(Boolean.TRUE);
        } else {
            unhandled(op);
        }
    }

    private void open(PipeOpen o) {
        int at = o.end();
        if (closedBecause[at] != null) {
            refuse(ChannelMessages.CLOSED, "end " + at + " of " + what + " is closed; nothing can go through it");
            return;
        }
        holders[at].putIfAbsent(askerProcess(), o.inbox());
        reply(duplex);
        ActorRef receiver = receiver(at);
        if (receiver.equals(o.inbox()) && !waiting[at].isEmpty()) {
            receiver.tell(new ChannelMessages.Items(new ArrayList<>(waiting[at])), self());
            waiting[at].clear();
        }
        if (closedBecause[1 - at] != null) {
            o.inbox().tell(endOfStream(at), self());
        }
    }

    /** A tell from the sending end's inbox; errors were checked by the handle, late sends to a closed end are dropped. */
    private void send(PipeSend s) {
        int to = 1 - s.end();
        if ((!duplex && s.end() == 0) || closedBecause[s.end()] != null || closedBecause[to] != null) {
            return; // the sender has, or is about to get, the marker that says why
        }
        ActorRef receiver = receiver(to);
        if (receiver != null && waiting[to].isEmpty()) {
            receiver.tell(new ChannelMessages.Items(List.of(s.item())), self());
        } else {
            waiting[to].add(s.item());
        }
    }

    private ActorRef receiver(int end) {
        var it = holders[end].values().iterator();
        return it.hasNext() ? it.next() : null;
    }

    private ChannelMessages.Refused endOfStream(int at) {
        return new ChannelMessages.Refused(ChannelMessages.END_OF_STREAM, "end of stream at end " + at + " of " + what
                + ": everything sent was received and " + closedBecause[1 - at]);
    }

    private void close(int end, String because) {
        if (closedBecause[end] != null) {
            return;
        }
        closedBecause[end] = because;
        if (rings != null) {
            rings.closeEnd(end, because); // the other end's receivers see end of stream after what is in its ring
        }
        ChannelMessages.Refused closed = new ChannelMessages.Refused(ChannelMessages.CLOSED, "end " + end + " of " + what
                + " is closed (" + because + "); nothing can go through it");
        holders[end].values().forEach(inbox -> inbox.tell(closed, self()));
        waiting[end].clear(); // nobody can receive them any more
        ChannelMessages.Refused eos = endOfStream(1 - end);
        holders[1 - end].values().forEach(inbox -> inbox.tell(eos, self()));
    }

    @Override
    protected void expired(long id) {
        // nothing waits here: receivers wait in their own process
    }

    @Override
    protected void refuseWaiting(ChannelMessages.Refused refusal) {
        for (Map<String, ActorRef> h : holders) {
            h.values().forEach(inbox -> inbox.tell(refusal, self()));
        }
    }

    @Override
    protected void processExited(String process, ExitStatus status) {
        for (int end = 0; end < 2; end++) {
            if (holders[end].remove(process) != null) {
                close(end, "the process [" + process + "] that held end " + end + " exited (" + status + ")");
            }
        }
    }

    /** For tests: the items waiting here for each end to be opened. */
    List<Integer> pending() {
        return List.of(waiting[0].size(), waiting[1].size());
    }
}
