package io.procactor.internal.cluster;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code procactor.cluster} settings, read and checked by {@link ClusterSettingsReader}.
 * {@code connectString} is the ensemble ({@code host:port,host:port}) in mode zookeeper, empty
 * otherwise (embedded: the provider knows its own server's address). {@code secret} is never
 * printed ({@link #toString()} masks it). Immutable and thread-safe.
 */
public record ClusterSettings(
        ClusterMode mode,
        String connectString,
        String path,
        String secret,
        Duration sessionTimeout,
        Duration connectTimeout,
        String host,
        Map<String, String> labels,
        String embeddedBind,
        int embeddedPort,
        String bind,
        Role role,
        boolean insecurePlainTcp) {

    /** What a node does for the cluster ({@code procactor.cluster.role}). */
    public enum Role {
        /** Uses the cluster: places its processes on agents, takes no spawn requests. */
        NODE,
        /** A host agent: also starts child JVMs for other nodes ({@code bin/procactor agent}). */
        AGENT;

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The root path when neither the URL nor the mode names one. */
    public static final String DEFAULT_PATH = "/procactor";

    public ClusterSettings {
        labels = Map.copyOf(labels);
    }

    /** The settings with the defaults for the cluster endpoint: {@code bind} empty (this host's address), role node. */
    public ClusterSettings(ClusterMode mode, String connectString, String path, String secret, Duration sessionTimeout,
                           Duration connectTimeout, String host, Map<String, String> labels, String embeddedBind,
                           int embeddedPort) {
        this(mode, connectString, path, secret, sessionTimeout, connectTimeout, host, labels, embeddedBind, embeddedPort, "",
                Role.NODE, false);
    }

    /** Mode local, the defaults otherwise: for a node built without a configuration. */
    public static final ClusterSettings LOCAL = new ClusterSettings(ClusterMode.LOCAL, "", DEFAULT_PATH, "",
            Duration.ofSeconds(10), Duration.ofSeconds(15), "", Map.of(), "127.0.0.1", 2181, "", Role.NODE, false);

    /**
     * Reads and checks {@code procactor.cluster} of {@code config} (which includes reference.conf).
     *
     * @throws io.procactor.ConfigurationException listing every invalid key, one per line
     */
    public static ClusterSettings from(Config config) {
        return ClusterSettingsReader.read(config);
    }

    /** The same settings with another mode and ensemble (the embedded provider points the client at its own server). */
    public ClusterSettings withEnsemble(ClusterMode mode, String connectString) {
        return new ClusterSettings(mode, connectString, path, secret, sessionTimeout, connectTimeout, host, labels,
                embeddedBind, embeddedPort, bind, role, insecurePlainTcp);
    }

    @Override
    public String toString() {
        return "ClusterSettings[mode=" + mode.configName() + ", ensemble=" + connectString + ", path=" + path
                + ", secret=" + (secret.isEmpty() ? "none" : "********") + ", session-timeout=" + sessionTimeout
                + ", connect-timeout=" + connectTimeout + ", host=" + host + ", labels=" + labels
                + ", embedded=" + embeddedBind + ":" + embeddedPort + ", bind=" + bind + ", role=" + role.configName() + "]";
    }
}
