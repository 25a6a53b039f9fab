package io.procactor.internal.topology;

import io.procactor.ActorRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Stands in for the ref of a process or pool while a topology is checked, before anything exists:
 * {@code Props} validation only needs an argument of the right type. Sending to it is a bug.
 * Immutable and thread-safe.
 */
final class PlaceholderRef implements ActorRef {
    private final String name;

    PlaceholderRef(String name) {
        this.name = name;
    }

    @Override
    public String path() {
        return "procactor://topology-check/" + name + "/" + name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String processName() {
        return name;
    }

    @Override
    public void tell(Object message) {
        throw new UnsupportedOperationException("placeholder for ref:" + name + " while the topology is checked");
    }

    @Override
    public void tell(Object message, ActorRef sender) {
        tell(message);
    }

    @Override
    public <T> CompletableFuture<T> ask(Object message, Duration timeout) {
        throw new UnsupportedOperationException("placeholder for ref:" + name + " while the topology is checked");
    }

    @Override
    public String toString() {
        return "ref:" + name;
    }
}
