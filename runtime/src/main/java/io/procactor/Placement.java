package io.procactor;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a process's JVM runs: on this node's host ({@link #local()}, the default), or on a host
 * agent of the cluster ({@code bin/procactor agent}, docs/cluster.md): the one registered as a host
 * ({@link #host}), one with a label ({@link #label}), or any ({@link #spread}). Among the agents that
 * fit, the one running the fewest of this node's processes is chosen, so a pool's workers spread
 * over them. Each start and each restart places again: a process whose host was lost is respawned
 * on another that fits. Placements other than local need {@code procactor.cluster.mode} other than
 * {@code local}. Give it with {@link ProcessOptions#placement} or {@link PoolOptions#placement}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Placement {
    /** What a placement constrains. */
    public enum Kind {
        /** This node's own host. */
        LOCAL,
        /** The agent registered under a host name. */
        HOST,
        /** An agent with a label. */
        LABEL,
        /** Any agent. */
        SPREAD
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Placement LOCAL = new Placement(Kind.LOCAL, null, null);
    private static final Placement SPREAD = new Placement(Kind.SPREAD, null, null);

    private final Kind kind;
    private final String key;
    private final String value;

    private Placement(Kind kind, String key, String value) {
        this.kind = kind;
        this.key = key;
        this.value = value;
    }

    /** On this node's host: what every process gets by default. */
    public static Placement local() {
        return LOCAL;
    }

    /**
     * On the agent registered as {@code host} ({@code procactor.cluster.host}, {@code --host}).
     *
     * @throws IllegalArgumentException when {@code host} is null or not a host name
     */
    public static Placement host(String host) {
        return new Placement(Kind.HOST, null, check(host, "host", "a host name of letters, digits, '.', '-', '_'"));
    }

    /**
     * On an agent with label {@code key = value} ({@code procactor.cluster.labels}, {@code --label k=v}).
     *
     * @throws IllegalArgumentException when the key or value is null or not a label name
     */
    public static Placement label(String key, String value) {
        String rule = "1 to 64 letters, digits, '.', '-', '_' (as in procactor.cluster.labels)";
        return new Placement(Kind.LABEL, check(key, "label key", rule), check(value, "label value", rule));
    }

    /** On any agent that takes work, the one running the fewest of this node's processes first. */
    public static Placement spread() {
        return SPREAD;
    }

    private static String check(String s, String what, String rule) {
        if (s == null || !NAME.matcher(s).matches()) {
            throw new IllegalArgumentException("placement " + what + " must be " + rule + ", was [" + s + "]");
        }
        return s;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isLocal() {
        return kind == Kind.LOCAL;
    }

    /** The host of {@link #host(String)}; null for the other kinds. */
    public String hostName() {
        return kind == Kind.HOST ? value : null;
    }

    /** The label key of {@link #label}; null for the other kinds. */
    public String labelKey() {
        return key;
    }

    /** The label value of {@link #label}; null for the other kinds. */
    public String labelValue() {
        return kind == Kind.LABEL ? value : null;
    }

    /**
     * Whether a member with this host and these labels fits (for {@link Kind#LOCAL}: never an agent).
     */
    public boolean fits(String memberHost, java.util.Map<String, String> labels) {
        return switch (kind) {
            case LOCAL -> false;
            case HOST -> value.equals(memberHost);
            case LABEL -> value.equals(labels.get(key));
            case SPREAD -> true;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Placement p && kind == p.kind && Objects.equals(key, p.key) && Objects.equals(value, p.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, key, value);
    }

    /** {@code local}, {@code host(web-2)}, {@code label(zone=a)} or {@code spread}. */
    @Override
    public String toString() {
        return switch (kind) {
            case LOCAL -> "local";
            case HOST -> "host(" + value + ")";
            case LABEL -> "label(" + key + "=" + value + ")";
            case SPREAD -> "spread";
        };
    }
}
