package io.procactor.internal.config;

import io.procactor.transport.DecodeLimits;
import io.procactor.transport.TlsSettings;
import io.procactor.transport.TransportKind;
import io.procactor.transport.TransportSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text form of the settings a child needs, as the node writes them into the child's bootstrap
 * and the child reads them back: one {@code key=value} per setting, durations in milliseconds.
 * Node-only settings get fixed placeholders in the child. Adding a setting a child uses means a
 * line in {@link #write} and one in {@link #read}. Stateless; thread-safe.
 */
final class ChildSettingsText {
    private ChildSettingsText() {
    }

    static Map<String, String> write(Settings s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("transport.kind", s.transport().kind().configName());
        m.put("transport.max-frame-size", Integer.toString(s.transport().maxFrameSize()));
        m.put("transport.handshake-timeout-ms", Long.toString(s.transport().handshakeTimeout().toMillis()));
        m.put("transport.io-threads", Integer.toString(s.transport().ioThreads()));
        m.put("transport.max-pending-handshakes", Integer.toString(s.transport().maxPendingHandshakes()));
        m.put("transport.max-elements", Integer.toString(s.transport().decodeLimits().maxElements()));
        m.put("transport.max-depth", Integer.toString(s.transport().decodeLimits().maxDepth()));
        writeTls(m, s.transport().tls());
        m.put("process.terminate-grace-period-ms", Long.toString(s.terminateGracePeriod().toMillis()));
        m.put("process.start-timeout-ms", Long.toString(s.startTimeout().toMillis()));
        m.put("process.stderr-tail-lines", Integer.toString(s.stderrTailLines()));
        m.put("dispatcher.threads", Integer.toString(s.dispatcherThreads()));
        m.put("dispatcher.throughput", Integer.toString(s.throughput()));
        m.put("mailbox.capacity", Integer.toString(s.mailboxCapacity()));
        m.put("mailbox.overflow", s.overflow().configName());
        m.put("mailbox.block-timeout-ms", Long.toString(s.blockTimeout().toMillis()));
        m.put("supervision", s.guardian().toText());
        m.put("dead-letters.log-per-minute", Integer.toString(s.deadLetterLogsPerMinute()));
        return m;
    }

    /**
     * The node's TLS files, by name: a child on the same host reads the same files (absolute paths).
     * The key-store password travels like the token, on the child's stdin only.
     */
    private static void writeTls(Map<String, String> m, TlsSettings tls) {
        m.put("transport.tls.enabled", Boolean.toString(tls.enabled()));
        if (tls.enabled()) {
            m.put("transport.tls.certificate", text(tls.certificate()));
            m.put("transport.tls.private-key", text(tls.privateKey()));
            m.put("transport.tls.key-store", text(tls.keyStore()));
            m.put("transport.tls.key-store-password", tls.keyStorePassword());
            m.put("transport.tls.trust", text(tls.trust()));
            m.put("transport.tls.protocols", String.join(",", tls.protocols()));
        }
    }

    private static String text(Path p) {
        return p == null ? "" : p.toString();
    }

    private static TlsSettings readTls(Map<String, String> p) {
        if (!Boolean.parseBoolean(p.get("transport.tls.enabled"))) {
            return TlsSettings.DISABLED;
        }
        return new TlsSettings(true, path(p.get("transport.tls.certificate")), path(p.get("transport.tls.private-key")),
                path(p.get("transport.tls.key-store")), p.get("transport.tls.key-store-password"),
                path(p.get("transport.tls.trust")), List.of(p.get("transport.tls.protocols").split(",")));
    }

    private static Path path(String s) {
        return s == null || s.isEmpty() ? null : Path.of(s);
    }

    static Settings read(Map<String, String> p) {
        return new Settings(null,
                new TransportSettings(TransportKind.fromConfig(p.get("transport.kind")),
                        Integer.parseInt(p.get("transport.max-frame-size")),
                        Duration.ofMillis(Long.parseLong(p.get("transport.handshake-timeout-ms"))),
                        Integer.parseInt(p.get("transport.io-threads")),
                        Integer.parseInt(p.get("transport.max-pending-handshakes")),
                        new DecodeLimits(Integer.parseInt(p.get("transport.max-elements")),
                                Integer.parseInt(p.get("transport.max-depth"))), readTls(p)),
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
                OverflowPolicy.fromConfig(p.get("mailbox.overflow")),
                Duration.ofMillis(Long.parseLong(p.get("mailbox.block-timeout-ms"))),
                io.procactor.SupervisorStrategy.parse(p.get("supervision")),
                Integer.parseInt(p.get("dead-letters.log-per-minute")),
                false,
                false,
                false,
                false,
                null,
                Duration.ofSeconds(1),
                0,
                List.of(),
                List.of(), // a child launches no JVM: it needs no class path for children
                List.of(),
                0, // nor spares
                false);
    }
}
