package io.procactor.internal.channels;

import io.procactor.ExitStatus;
import io.procactor.internal.wire.ChannelMessages;
import io.procactor.internal.wire.ChannelMessages.PipeClose;
import io.procactor.internal.wire.ChannelMessages.PipeRecv;
import io.procactor.internal.wire.ChannelMessages.PipeSend;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hosts a pipe ({@code ActorSystem.pipe}): two ends, 0 and 1, each with the items sent to it that
 * it has not received yet. One-way pipes receive at end 0 and send at end 1 (Python's
 * {@code r, w = Pipe(duplex=False)}). An end is closed by its {@code close()} or when a process that
 * used it exits (the host watches every process that sends or receives at an end); the other end
 * then receives what is left, then end-of-stream. Like Python's OS pipe, an end that no process
 * has used yet cannot be missed: only a process that used an end is known to hold it.
 *
 * <p>Threading: an actor; one message at a time.
 */
public final class PipeHost extends HostActor {
    private final boolean duplex;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Object>[] inbox = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};
    @SuppressWarnings("unchecked")
    private final Waiting<PipeRecv>[] receivers = new Waiting[] {new Waiting<PipeRecv>(), new Waiting<PipeRecv>()};
    @SuppressWarnings("unchecked")
    private final Set<String>[] holders = new Set[] {new HashSet<String>(), new HashSet<String>()};
    /** Why each end is closed, or null while it is open. */
    private final String[] closedBecause = new String[2];

    public PipeHost(String name, boolean duplex, long system) {
        super("pipe [" + name + "]", system);
        this.duplex = duplex;
    }

    @Override
    protected void handle(ChannelMessages.Op op) {
        if (op instanceof PipeSend s) {
            holders[s.end()].add(askerProcess());
            send(s);
        } else if (op instanceof PipeRecv r) {
            holders[r.end()].add(askerProcess());
            recv(r);
        } else if (op instanceof PipeClose c) {
            close(c.end(), "its end " + c.end() + " was closed");
            reply(Boolean.TRUE);
        } else {
            unhandled(op);
        }
    }

    private void send(PipeSend s) {
        int to = 1 - s.end();
        if (!duplex && s.end() == 0) {
            refuse(ChannelMessages.MISUSE, what + " is one-way: end 0 only receives; send at end 1");
        } else if (closedBecause[s.end()] != null) {
            refuse(ChannelMessages.CLOSED, "end " + s.end() + " of " + what + " is closed; nothing can be sent through it");
        } else if (closedBecause[to] != null) {
            refuse(ChannelMessages.END_OF_STREAM, "the other end of " + what + " is closed (" + closedBecause[to]
                    + "): nobody will receive this item");
        } else if (encodable(s.item())) {
            Waiting.Entry<PipeRecv> r = receivers[to].poll();
            if (r != null) { // the receiver first: its wake-up is the pipe's latency, the sender's is not
                r.replyTo().tell(s.item(), self());
            } else {
                inbox[to].add(s.item());
            }
            reply(Boolean.TRUE);
        }
    }

    private void recv(PipeRecv r) {
        int at = r.end();
        if (!duplex && at == 1) {
            refuse(ChannelMessages.MISUSE, what + " is one-way: end 1 only sends; receive at end 0");
        } else if (closedBecause[at] != null) {
            refuse(ChannelMessages.CLOSED, "end " + at + " of " + what + " is closed; nothing can be received through it");
        } else if (!inbox[at].isEmpty()) {
            reply(inbox[at].poll());
        } else if (closedBecause[1 - at] != null) {
            refuse(ChannelMessages.END_OF_STREAM, endOfStream(at));
        } else if (r.waitNanos() <= 0) {
            refuse(ChannelMessages.TIMEOUT, "nothing arrived at end " + at + " of " + what);
        } else {
            long id = nextId();
            receivers[at].add(new Waiting.Entry<>(id, sender(), askerProcess(), r, timer(id, r.waitNanos())));
        }
    }

    private String endOfStream(int at) {
        return "end of stream at end " + at + " of " + what + ": everything sent was received and " + closedBecause[1 - at];
    }

    private void close(int end, String because) {
        if (closedBecause[end] != null) {
            return;
        }
        closedBecause[end] = because;
        receivers[end].removeAll().forEach(w -> refuse(w.replyTo(), ChannelMessages.CLOSED,
                "end " + end + " of " + what + " was closed while this recv waited"));
        int other = 1 - end;
        if (inbox[other].isEmpty()) {
            receivers[other].removeAll().forEach(w -> refuse(w.replyTo(), ChannelMessages.END_OF_STREAM, endOfStream(other)));
        }
    }

    @Override
    protected void expired(long id) {
        for (int at = 0; at < 2; at++) {
            Waiting.Entry<PipeRecv> r = receivers[at].remove(id);
            if (r != null) {
                refuse(r.replyTo(), ChannelMessages.TIMEOUT, "nothing arrived at end " + at + " of " + what + " within "
                        + millis(r.request().waitNanos()));
            }
        }
    }

    @Override
    protected void refuseWaiting(ChannelMessages.Refused refusal) {
        for (Waiting<PipeRecv> r : receivers) {
            r.removeAll().forEach(w -> w.replyTo().tell(refusal, self()));
        }
    }

    @Override
    protected void processExited(String process, ExitStatus status) {
        for (int end = 0; end < 2; end++) {
            receivers[end].removeProcess(process);
            if (holders[end].remove(process)) {
                close(end, "the process [" + process + "] that held end " + end + " exited (" + status + ")");
            }
        }
    }

    /** For tests: the items waiting at each end. */
    List<Integer> pending() {
        return List.of(inbox[0].size(), inbox[1].size());
    }
}
