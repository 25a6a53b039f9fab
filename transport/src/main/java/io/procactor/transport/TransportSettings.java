package io.procactor.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Transport tuning, read once from configuration by the runtime.
 *
 * @param kind                 which sockets to use
 * @param maxFrameSize         largest frame accepted or sent, in bytes, counting everything after the length field
 * @param handshakeTimeout     how long a new connection may take to complete the handshake, counted on the server
 *                             from the moment it accepted the connection; the client waits as long for WELCOME
 * @param ioThreads            event-loop threads; 0 means one per two cores, at least one
 * @param maxPendingHandshakes how many connections one server holds before their handshake completed; more are
 *                             closed at once, unanswered
 * @param decodeLimits         what one received message may make this JVM allocate
 * @param tls                  mutual TLS for TCP connections; ignored by Unix domain socket kinds (same host, file
 *                             permissions and the handshake token guard them)
 *
 * <p>Immutable and thread-safe.
 */
public record TransportSettings(TransportKind kind, int maxFrameSize, Duration handshakeTimeout, int ioThreads,
                                int maxPendingHandshakes, DecodeLimits decodeLimits, TlsSettings tls) {
    public static final int MIN_FRAME_SIZE = 1024;
    public static final int MAX_FRAME_SIZE = 64 * 1024 * 1024;
    /** Default of {@link #maxPendingHandshakes}. */
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 64;

    public TransportSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(decodeLimits, "decodeLimits");
        Objects.requireNonNull(tls, "tls");
        if (maxFrameSize < MIN_FRAME_SIZE || maxFrameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("max-frame-size must be between 1 KiB and 64 MiB, was [" + maxFrameSize + "]");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake-timeout must be positive, was [" + handshakeTimeout + "]");
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("io-threads must be 0 (automatic) or positive, was [" + ioThreads + "]");
        }
        if (maxPendingHandshakes < 1) {
            throw new IllegalArgumentException("max-pending-handshakes must be positive, was [" + maxPendingHandshakes + "]");
        }
    }

    /** No TLS. */
    public TransportSettings(TransportKind kind, int maxFrameSize, Duration handshakeTimeout, int ioThreads,
                             int maxPendingHandshakes, DecodeLimits decodeLimits) {
        this(kind, maxFrameSize, handshakeTimeout, ioThreads, maxPendingHandshakes, decodeLimits, TlsSettings.DISABLED);
    }

    /** Default pending-handshake cap and decode limits, no TLS. */
    public TransportSettings(TransportKind kind, int maxFrameSize, Duration handshakeTimeout, int ioThreads) {
        this(kind, maxFrameSize, handshakeTimeout, ioThreads, DEFAULT_MAX_PENDING_HANDSHAKES, DecodeLimits.DEFAULT, TlsSettings.DISABLED);
    }

    /**
     * Defaults: automatic kind, 8 MiB frames, 5 s handshake, automatic threads, 64 pending
     * handshakes, {@link DecodeLimits#DEFAULT}. Our own processes send HELLO as soon as their
     * connection is up, so 5 s from accept to HELLO is ample even on a loaded machine.
     */
    public static TransportSettings defaults() {
        return new TransportSettings(TransportKind.AUTO, 8 * 1024 * 1024, Duration.ofSeconds(5), 0);
    }

    public TransportSettings withKind(TransportKind newKind) {
        return new TransportSettings(newKind, maxFrameSize, handshakeTimeout, ioThreads, maxPendingHandshakes, decodeLimits, tls);
    }

    public TransportSettings withIoThreads(int threads) {
        return new TransportSettings(kind, maxFrameSize, handshakeTimeout, threads, maxPendingHandshakes, decodeLimits, tls);
    }

    public TransportSettings withMaxFrameSize(int bytes) {
        return new TransportSettings(kind, bytes, handshakeTimeout, ioThreads, maxPendingHandshakes, decodeLimits, tls);
    }

    public TransportSettings withHandshakeTimeout(Duration timeout) {
        return new TransportSettings(kind, maxFrameSize, timeout, ioThreads, maxPendingHandshakes, decodeLimits, tls);
    }

    public TransportSettings withMaxPendingHandshakes(int max) {
        return new TransportSettings(kind, maxFrameSize, handshakeTimeout, ioThreads, max, decodeLimits, tls);
    }

    public TransportSettings withDecodeLimits(DecodeLimits limits) {
        return new TransportSettings(kind, maxFrameSize, handshakeTimeout, ioThreads, maxPendingHandshakes, limits, tls);
    }

    public TransportSettings withTls(TlsSettings newTls) {
        return new TransportSettings(kind, maxFrameSize, handshakeTimeout, ioThreads, maxPendingHandshakes, decodeLimits, newTls);
    }

    /** Whether connections of {@code actualKind} (AUTO resolved) use TLS. */
    public boolean usesTls(TransportKind actualKind) {
        return tls.enabled() && actualKind == TransportKind.TCP;
    }
}
