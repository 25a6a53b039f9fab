package io.procactor.internal.child;

import io.procactor.internal.core.Association;
import io.procactor.internal.core.BatchCollector;
import io.procactor.internal.wire.Protocol;
import io.procactor.ActorRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * In a pool worker, the sender of a {@link Protocol.Batch}: the result goes straight onto the
 * link to the node, where the pool that owns this process takes it, with no envelope and no
 * refs on the wire. Only the runtime's {@link BatchCollector} talks to it.
 *
 * <p>Threads: called on the dispatcher thread that finished a batch; thread-safe (the association
 * to the node is).
 */
final class PoolReplyRef implements ActorRef {
    private final Association node;
    private final String systemName;

    PoolReplyRef(Association node, String systemName) {
        this.node = node;
        this.systemName = systemName;
    }

    @Override
    public String path() {
        return "procactor://" + systemName + "/" + Protocol.NODE + "/(pool)";
    }

    @Override
    public String name() {
        return "(pool)";
    }

    @Override
    public String processName() {
        return Protocol.NODE;
    }

    @Override
    public void tell(Object message) {
        tell(message, null);
    }

    @Override
    public void tell(Object message, ActorRef sender) {
        if (message instanceof Protocol.BatchResult r) {
            UnencodableResults.send(r, sender, node::send); // a reply that cannot be encoded fails its task, not the batch
        } else {
            node.send(message);
        }
    }

    @Override
    public <T> CompletableFuture<T> ask(Object message, Duration timeout) {
        throw new UnsupportedOperationException("a pool's reply address takes results only");
    }
}
