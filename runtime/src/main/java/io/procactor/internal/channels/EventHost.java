package io.procactor.internal.channels;

import io.procactor.ExitStatus;
import io.procactor.internal.wire.ChannelMessages;
import io.procactor.internal.wire.ChannelMessages.Control;
import io.procactor.internal.wire.ChannelMessages.EventWait;

/**
 * Hosts an event ({@code ActorSystem.event}): a flag that processes set, clear and wait for.
 * Waiters are asks kept open until the flag is set (each answered {@code true} at once when it is)
 * or their wait runs out ({@code false}), so no process polls.
 *
 * <p>Threading: an actor; one message at a time.
 */
public final class EventHost extends HostActor {
    private final Waiting<EventWait> waiters = new Waiting<>();
    private boolean set;

    public EventHost(String name, long system) {
        super("event [" + name + "]", system);
    }

    @Override
    protected void handle(ChannelMessages.Op op) {
        if (op instanceof EventWait w) {
            if (set || w.waitNanos() <= 0) {
                reply(set);
            } else {
                long id = nextId();
                waiters.add(new Waiting.Entry<>(id, sender(), askerProcess(), w, timer(id, w.waitNanos())));
            }
        } else if (op instanceof Control c && c.op() == ChannelMessages.SET) {
            set = true;
            waiters.removeAll().forEach(w -> w.replyTo().tell(Boolean.TRUE, self()));
            reply(Boolean.TRUE);
        } else if (op instanceof Control c && c.op() == ChannelMessages.CLEAR) {
            set = false;
            reply(Boolean.TRUE);
        } else if (op instanceof Control c && c.op() == ChannelMessages.IS_SET) {
            reply(set);
        } else {
            unhandled(op);
        }
    }

    @Override
    protected void expired(long id) {
        Waiting.Entry<EventWait> w = waiters.remove(id);
        if (w != null) {
            w.replyTo().tell(Boolean.FALSE, self());
        }
    }

    @Override
    protected void refuseWaiting(ChannelMessages.Refused refusal) {
        waiters.removeAll().forEach(w -> w.replyTo().tell(refusal, self()));
    }

    @Override
    protected void processExited(String process, ExitStatus status) {
        waiters.removeProcess(process);
    }
}
