package io.procactor.internal.cluster;

import io.procactor.ClusterMember;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Mode {@code local}: this node is the whole cluster. No engine, no thread; the description (host
 * name, memory) is only looked up when someone asks for the members. Thread-safe.
 */
final class LocalCoordinator implements Coordinator {
    private final Supplier<NodeDescription> description;
    private volatile ClusterMember self;

    LocalCoordinator(Supplier<NodeDescription> description) {
        this.description = description;
    }

    @Override
    public ClusterMode mode() {
        return ClusterMode.LOCAL;
    }

    @Override
    public ClusterMember self() {
        ClusterMember s = self;
        if (s == null) {
            synchronized (this) {
                if (self == null) {
                    self = description.get().as(UUID.randomUUID().toString());
                }
                s = self;
            }
        }
        return s;
    }

    @Override
    public List<ClusterMember> members() {
        return List.of(self());
    }

    @Override
    public boolean acceptingWork() {
        return true;
    }

    @Override
    public void close() {
        // nothing to leave
    }
}
