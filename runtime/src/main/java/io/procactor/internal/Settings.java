package io.procactor.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.procactor.transport.TransportKind;
import io.procactor.transport.TransportSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code procactor} configuration, read once and checked. An invalid value fails here with its
 * full key path, the value, and what is allowed. In a child, {@code config} is null: it got
 * its settings from the node ({@link #childProperties()}). Immutable and thread-safe.
 */
public record Settings(
        Config config,
        TransportSettings transport,
        Path socketDir,
        List<String> jvmOptions,
        Duration terminateGracePeriod,
        Duration startTimeout,
        int stderrTailLines,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        int dispatcherThreads,
        int throughput,
        Map<String, Integer> registrations,
        int mailboxCapacity,
        Overflow overflow,
        Duration blockTimeout,
        io.procactor.SupervisorStrategy guardian,
        int deadLetterLogsPerMinute,
        boolean shutdownHook,
        boolean classDataSharing) {

    private static final String P = "procactor.";

    public static Settings from(Config config) {
        try {
            return read(config);
        } catch (ConfigException e) {
            // a value of the right type but unreadable (a duration "soon", a size "big"): name key and value
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
        }
    }

    private static Settings read(Config config) {
        Config c = config;
        c.checkValid(com.typesafe.config.ConfigFactory.defaultReference(), "procactor");
        TransportKind kind;
        try {
            kind = TransportKind.fromConfig(c.getString(P + "transport.kind"));
        } catch (IllegalArgumentException e) {
            throw invalid(c, "transport.kind", e.getMessage());
        }
        long frame = c.getBytes(P + "transport.max-frame-size");
        if (frame < TransportSettings.MIN_FRAME_SIZE || frame > TransportSettings.MAX_FRAME_SIZE) {
            throw invalid(c, "transport.max-frame-size", "must be between 1 KiB and 64 MiB, was [" + frame + " bytes]");
        }
        Duration handshake = positive(c, "transport.handshake-timeout");
        int ioThreads = atLeast(c, "transport.io-threads", 0);
        String dir = c.getString(P + "transport.socket-dir");
        Path socketDir = Path.of(dir.isBlank() ? System.getProperty("java.io.tmpdir") : dir);

        Map<String, Integer> regs = new LinkedHashMap<>();
        Config r = c.getConfig(P + "serialization.registrations");
        for (Map.Entry<String, ConfigValue> e : r.root().entrySet()) {
            String key = "serialization.registrations.\"" + e.getKey() + "\"";
            Object v = e.getValue().unwrapped();
            if (!(v instanceof Number n) || n.intValue() < io.procactor.transport.Registrations.FIRST_APPLICATION_ID) {
                throw invalid(c, key, "must be a registration id of " + io.procactor.transport.Registrations.FIRST_APPLICATION_ID
                        + " or more, was [" + v + "]");
            }
            regs.put(e.getKey(), n.intValue());
        }
        return new Settings(c,
                new TransportSettings(kind, (int) frame, handshake, ioThreads),
                socketDir,
                List.copyOf(c.getStringList(P + "process.jvm-options")),
                positive(c, "process.terminate-grace-period"),
                positive(c, "process.start-timeout"),
                atLeast(c, "process.stderr-tail-lines", 0),
                positive(c, "process.heartbeat-interval"),
                heartbeatTimeout(c),
                atLeast(c, "dispatcher.threads", 0),
                atLeast(c, "dispatcher.throughput", 1),
                Map.copyOf(regs),
                atLeast(c, "mailbox.capacity", 1),
                overflow(c),
                positive(c, "mailbox.block-timeout"),
                guardian(c),
                atLeast(c, "dead-letters.log-per-minute", 0),
                c.getBoolean(P + "shutdown.hook"),
                c.getBoolean(P + "process.class-data-sharing"));
    }

    /**
     * The settings a child needs, as text: the node passes its effective settings on the child's
     * stdin, so a child never reads configuration files (nor loads a HOCON parser).
     */
    public Map<String, String> childProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("transport.kind", transport.kind().configName());
        m.put("transport.max-frame-size", Integer.toString(transport.maxFrameSize()));
        m.put("transport.handshake-timeout-ms", Long.toString(transport.handshakeTimeout().toMillis()));
        m.put("transport.io-threads", Integer.toString(transport.ioThreads()));
        m.put("process.terminate-grace-period-ms", Long.toString(terminateGracePeriod.toMillis()));
        m.put("process.start-timeout-ms", Long.toString(startTimeout.toMillis()));
        m.put("process.stderr-tail-lines", Integer.toString(stderrTailLines));
        m.put("dispatcher.threads", Integer.toString(dispatcherThreads));
        m.put("dispatcher.throughput", Integer.toString(throughput));
        m.put("mailbox.capacity", Integer.toString(mailboxCapacity));
        m.put("mailbox.overflow", overflow.configName());
        m.put("mailbox.block-timeout-ms", Long.toString(blockTimeout.toMillis()));
        m.put("supervision", guardian.toText());
        m.put("dead-letters.log-per-minute", Integer.toString(deadLetterLogsPerMinute));
        return m;
    }

    /** Rebuilds a child's settings from {@link #childProperties()}. */
    public static Settings fromChildProperties(Map<String, String> p) {
        return new Settings(null,
                new TransportSettings(TransportKind.fromConfig(p.get("transport.kind")),
                        Integer.parseInt(p.get("transport.max-frame-size")),
                        Duration.ofMillis(Long.parseLong(p.get("transport.handshake-timeout-ms"))),
                        Integer.parseInt(p.get("transport.io-threads"))),
                Path.of(System.getProperty("java.io.tmpdir")),
                List.of(),
                Duration.ofMillis(Long.parseLong(p.get("process.terminate-grace-period-ms"))),
                Duration.ofMillis(Long.parseLong(p.get("process.start-timeout-ms"))),
                Integer.parseInt(p.get("process.stderr-tail-lines")),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Integer.parseInt(p.get("dispatcher.threads")),
                Integer.parseInt(p.get("dispatcher.throughput")),
                Map.of(),
                Integer.parseInt(p.get("mailbox.capacity")),
                Overflow.fromConfig(p.get("mailbox.overflow")),
                Duration.ofMillis(Long.parseLong(p.get("mailbox.block-timeout-ms"))),
                io.procactor.SupervisorStrategy.parse(p.get("supervision")),
                Integer.parseInt(p.get("dead-letters.log-per-minute")),
                false,
                false);
    }

    /** Threads for actors and future callbacks: the configured number, or one per core (at least 2). */
    public int effectiveDispatcherThreads() {
        return dispatcherThreads > 0 ? dispatcherThreads : Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    private static Duration positive(Config c, String key) {
        Duration d = c.getDuration(P + key);
        if (d.isNegative() || d.isZero()) {
            throw invalid(c, key, "must be a positive duration, was [" + c.getValue(P + key).unwrapped() + "]");
        }
        return d;
    }

    private static Overflow overflow(Config c) {
        try {
            return Overflow.fromConfig(c.getString(P + "mailbox.overflow"));
        } catch (IllegalArgumentException e) {
            throw invalid(c, "mailbox.overflow", e.getMessage());
        }
    }

    private static io.procactor.SupervisorStrategy guardian(Config c) {
        String strategy = c.getString(P + "supervision.strategy");
        io.procactor.SupervisorStrategy.Directive directive;
        try {
            directive = io.procactor.SupervisorStrategy.directive(c.getString(P + "supervision.directive"));
        } catch (IllegalArgumentException e) {
            throw invalid(c, "supervision.directive", e.getMessage());
        }
        io.procactor.SupervisorStrategy s = switch (strategy) {
            case "one-for-one" -> io.procactor.SupervisorStrategy.oneForOne(directive);
            case "all-for-one" -> io.procactor.SupervisorStrategy.allForOne(directive);
            default -> throw invalid(c, "supervision.strategy", "must be one-for-one or all-for-one, was [" + strategy + "]");
        };
        return s.withIntensity(atLeast(c, "supervision.max-restarts", 0), positive(c, "supervision.within"));
    }

    private static Duration heartbeatTimeout(Config c) {
        Duration interval = positive(c, "process.heartbeat-interval");
        Duration timeout = positive(c, "process.heartbeat-timeout");
        if (timeout.compareTo(interval.multipliedBy(2)) < 0) {
            throw invalid(c, "process.heartbeat-timeout", "must be at least twice procactor.process.heartbeat-interval ["
                    + interval.toMillis() + " ms], was [" + timeout.toMillis() + " ms]");
        }
        return timeout;
    }

    private static int atLeast(Config c, String key, int min) {
        int v = c.getInt(P + key);
        if (v < min) {
            throw invalid(c, key, "must be " + min + " or more, was [" + v + "]");
        }
        return v;
    }

    private static IllegalArgumentException invalid(Config c, String key, String what) {
        String origin = c.hasPath(P + key) ? " (set at " + c.getValue(P + key).origin().description() + ")" : "";
        return new IllegalArgumentException(P + key + " " + what + origin);
    }
}
