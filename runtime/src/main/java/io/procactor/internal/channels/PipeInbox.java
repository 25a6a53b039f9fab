package io.procactor.internal.channels;

import io.procactor.ActorRef;
import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.core.Receivers;
import io.procactor.internal.wire.ChannelMessages;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One pipe end's inbox in this process: the pipe's host pushes what the other end sends here (as
 * {@link ChannelMessages.Items}), so that a {@code recv} is a local wait instead of a round trip,
 * and a {@link ChannelMessages.Refused} marker after the last item when the stream ends. Sends
 * from this process go out with this inbox as their sender, so the host knows who holds the end.
 * One per end per process, made by the first send or recv there.
 *
 * <p>Thread-safe: the host's pushes arrive on I/O threads, any thread may poll.
 */
public final class PipeInbox implements ProcessCore.Receiver {
    private static final Map<String, PipeInbox> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong NAMES = new AtomicLong();

    private final LinkedBlockingDeque<Object> items = new LinkedBlockingDeque<>();
    private final String name;
    private final ActorRef host;
    private volatile ActorRef self;
    private volatile ChannelMessages.Refused ended;
    private volatile boolean duplex;

    private PipeInbox(String key, ActorRef host) {
        this.host = host;
        this.name = "$pipe-" + NAMES.incrementAndGet();
    }

    /**
     * This process's inbox of end {@code end} of the pipe hosted by {@code host}, registered with
     * the host by {@code open} (an ask that returns whether the pipe is duplex, or a refusal) the
     * first time. Returns a {@link ChannelMessages.Refused} when the host refused it.
     */
    public static Object of(ActorRef host, long system, int end, java.util.function.BiFunction<ActorRef, Object, Object> open,
            java.util.function.Function<ActorRef, Object> openMessage) {
        String key = key(host, system, end);
        PipeInbox inbox = OPEN.get(key);
        if (inbox != null) {
            return inbox;
        }
        synchronized (OPEN) {
            inbox = OPEN.get(key);
            if (inbox != null) {
                return inbox;
            }
            PipeInbox fresh = new PipeInbox(key, host);
            fresh.self = Receivers.register(host, fresh.name, fresh);
            Object answer;
            try {
                answer = open.apply(host, openMessage.apply(fresh.self));
            } catch (RuntimeException e) {
                Receivers.unregister(host, fresh.name);
                throw e;
            }
            if (!(answer instanceof Boolean d)) {
                Receivers.unregister(host, fresh.name);
                return answer;
            }
            fresh.duplex = d;
            OPEN.put(key, fresh);
            return fresh;
        }
    }

    /** This process's inbox of that end, or null when this process has not used it. */
    public static PipeInbox existing(ActorRef host, long system, int end) {
        return OPEN.get(key(host, system, end));
    }

    private static String key(ActorRef host, long system, int end) {
        return system + "/" + host.path() + "#" + end;
    }

    @Override
    public void receive(ActorRef sender, Object body) {
        if (body instanceof ChannelMessages.Items i) {
            items.addAll(i.items());
        } else if (body instanceof ChannelMessages.Refused r) {
            if (ended == null) {
                ended = r;
            }
            items.add(r);
        }
    }

    /** The ref the host pushes to; the sender of this process's sends. */
    public ActorRef ref() {
        return self;
    }

    public boolean duplex() {
        return duplex;
    }

    /** Why nothing more can go through this end, or null while it is open. */
    public ChannelMessages.Refused ended() {
        return ended;
    }

    /**
     * The next item, or the end marker (a {@link ChannelMessages.Refused}, which stays for later
     * calls), or null when nothing came within {@code nanos}. Not interruptible: an interrupt is set
     * again on return.
     */
    public Object poll(long nanos) {
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    Object o = items.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (o instanceof ChannelMessages.Refused) {
                        items.addFirst(o);
                    }
                    return o;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** This end was closed here: forget the inbox (later calls in this process see {@code marker}). */
    public void closed(ChannelMessages.Refused marker) {
        ended = marker;
        items.clear();
        items.add(marker);
    }
}
