package io.procactor.internal.cluster;

import io.procactor.ConfigurationException;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Opens the {@link Coordinator} of a node's mode: {@code local} here, the others from a
 * {@link CoordinatorProvider} on the class path. Stateless; thread-safe.
 */
public final class Coordinators {
    /** The artifact that implements the modes other than local, named in the error when it is missing. */
    public static final String CLUSTER_ARTIFACT = "io.procactor:procactor-cluster";

    private Coordinators() {
    }

    /**
     * The coordinator for {@code settings.mode()}. In local mode {@code self} is only called when
     * someone asks for the members; in the others at once.
     *
     * @throws ConfigurationException when the mode needs procactor-cluster and it is not on the class path
     */
    public static Coordinator open(ClusterSettings settings, Supplier<NodeDescription> self, CoordinatorEvents events) {
        if (settings.mode() == ClusterMode.LOCAL) {
            return new LocalCoordinator(self);
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (CoordinatorProvider p : ServiceLoader.load(CoordinatorProvider.class,
                loader != null ? loader : Coordinators.class.getClassLoader())) {
            if (p.supports(settings.mode())) {
                return p.open(settings, self.get(), events);
            }
        }
        throw new ConfigurationException("procactor.cluster.mode = " + settings.mode().configName() + " needs the module "
                + CLUSTER_ARTIFACT + " (Apache Curator and ZooKeeper) on the class path, and it is not there; add the "
                + "dependency io.procactor:procactor-cluster (same version as procactor-runtime), or set "
                + "procactor.cluster.mode = local for one machine");
    }
}
