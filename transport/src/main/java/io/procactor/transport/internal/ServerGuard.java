package io.procactor.transport.internal;

import io.procactor.transport.Gatekeeper;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one server's connections share before they are admitted: the {@link Gatekeeper}, the cap
 * on handshakes in progress (each holds a descriptor and a buffer, so strangers could otherwise
 * exhaust them), and the refusal counter and rate-limited refusal log.
 *
 * <p>Thread-safe: the connections of one server run on several event loops.
 */
public final class ServerGuard {
    private static final Logger log = LoggerFactory.getLogger(ServerHandshakeHandler.class);
    /** Refusal lines logged per minute; the rest are counted. */
    static final int REFUSALS_LOGGED_PER_MINUTE = 5;

    private final Gatekeeper gatekeeper;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final RateLimitedLog refusals;

    public ServerGuard(Gatekeeper gatekeeper, int maxPending) {
        this(gatekeeper, maxPending, new RateLimitedLog(log, REFUSALS_LOGGED_PER_MINUTE, 1, TimeUnit.MINUTES, System::nanoTime));
    }

    ServerGuard(Gatekeeper gatekeeper, int maxPending, RateLimitedLog refusals) {
        this.gatekeeper = gatekeeper;
        this.maxPending = maxPending;
        this.refusals = refusals;
    }

    public Gatekeeper gatekeeper() {
        return gatekeeper;
    }

    public int maxPending() {
        return maxPending;
    }

    /** Takes a pending-handshake slot; false when all are taken. */
    boolean tryEnter() {
        while (true) {
            int n = pending.get();
            if (n >= maxPending) {
                return false;
            }
            if (pending.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives a slot back (the handshake completed or the connection closed). */
    void leave() {
        pending.decrementAndGet();
    }

    /** Counts a refused connection and logs it, unless this minute's refusal lines are used up. */
    void refused(String line) {
        refused.incrementAndGet();
        refusals.warn(line);
    }

    /** Connections in their handshake right now. */
    public int pendingHandshakes() {
        return pending.get();
    }

    /** Connections refused so far: wrong token, refused by the gatekeeper, malformed, too slow, or over the cap. */
    public long refusedConnections() {
        return refused.get();
    }
}
