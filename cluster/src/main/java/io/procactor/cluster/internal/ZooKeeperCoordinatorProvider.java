package io.procactor.cluster.internal;

import io.procactor.internal.cluster.ClusterMode;
import io.procactor.internal.cluster.ClusterSettings;
import io.procactor.internal.cluster.Coordinator;
import io.procactor.internal.cluster.CoordinatorEvents;
import io.procactor.internal.cluster.CoordinatorProvider;
import io.procactor.internal.cluster.NodeDescription;

/**
 * The {@link CoordinatorProvider} of procactor-cluster (listed in META-INF/services): mode
 * {@code zookeeper} joins the ensemble of the URL; mode {@code embedded} first starts ZooKeeper's
 * server in this JVM ({@link EmbeddedZooKeeper}) and joins it, and closes it with the coordinator.
 * Stateless; thread-safe.
 */
public final class ZooKeeperCoordinatorProvider implements CoordinatorProvider {
    @Override
    public boolean supports(ClusterMode mode) {
        return mode == ClusterMode.EMBEDDED || mode == ClusterMode.ZOOKEEPER;
    }

    @Override
    public Coordinator open(ClusterSettings settings, NodeDescription self, CoordinatorEvents events) {
        return openCoordinator(settings, self, events);
    }

    /** The same, typed, for this module's tests. */
    static ZooKeeperCoordinator openCoordinator(ClusterSettings settings, NodeDescription self, CoordinatorEvents events) {
        if (settings.mode() != ClusterMode.EMBEDDED) {
            return new ZooKeeperCoordinator(settings.mode(), settings, self, events, null).start();
        }
        EmbeddedZooKeeper server = new EmbeddedZooKeeper(settings.embeddedBind(), settings.embeddedPort(),
                settings.sessionTimeout());
        try {
            return new ZooKeeperCoordinator(ClusterMode.EMBEDDED, settings.withEnsemble(ClusterMode.EMBEDDED,
                    server.connectString()), self, events, server).start();
        } catch (RuntimeException e) {
            server.close(); // start() closed the rest; the server too, unless the constructor failed
            throw e;
        }
    }
}
