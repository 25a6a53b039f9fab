package io.procactor.internal;

import io.procactor.ActorRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * In a pool worker, the sender of a {@link Protocol.Batch}: the result goes straight onto the
 * link to the node, where the pool that owns this process takes it, with no envelope and no
 * refs on the wire. Only the runtime's {@link BatchCollector} talks to it. Thread-safe.
 */
final class PoolReplyRef implements ActorRef {
    private final Link node;
    private final String systemName;

    PoolReplyRef(Link node, String systemName) {
        this.node = node;
        this.systemName = systemName;
    }

    @Override
    public String path() {
        return "procactor://" + systemName + "/" + NodeRuntime.NODE + "/(pool)";
    }

    @Override
    public String name() {
        return "(pool)";
    }

    @Override
    public String processName() {
        return NodeRuntime.NODE;
    }

    @Override
    public void tell(Object message) {
        node.send(message);
    }

    @Override
    public void tell(Object message, ActorRef sender) {
        node.send(message);
    }

    @Override
    public <T> CompletableFuture<T> ask(Object message, Duration timeout) {
        throw new UnsupportedOperationException("a pool's reply address takes results only");
    }
}
