package io.procactor.internal.cluster;

/** How a node coordinates with others ({@code procactor.cluster.mode}). Immutable. */
public enum ClusterMode {
    /** One machine, no engine: today's behaviour, no thread, no dependency. */
    LOCAL("local"),
    /** ZooKeeper's embedded server inside this node (several nodes on one host, samples, tests). */
    EMBEDDED("embedded"),
    /** An external ZooKeeper ensemble named by {@code procactor.cluster.url}. */
    ZOOKEEPER("zookeeper");

    private final String configName;

    ClusterMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }
}
