package io.procactor.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Transport tuning, read once from configuration by the runtime.
 *
 * @param kind             which sockets to use
 * @param maxFrameSize     largest frame accepted or sent, in bytes, counting everything after the length field
 * @param handshakeTimeout how long a new connection may take to complete the handshake before it is closed
 * @param ioThreads        event-loop threads; 0 means one per two cores, at least one
 *
 * <p>Immutable and thread-safe.
 */
public record TransportSettings(TransportKind kind, int maxFrameSize, Duration handshakeTimeout, int ioThreads) {
    public static final int MIN_FRAME_SIZE = 1024;
    public static final int MAX_FRAME_SIZE = 64 * 1024 * 1024;

    public TransportSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (maxFrameSize < MIN_FRAME_SIZE || maxFrameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("max-frame-size must be between 1 KiB and 64 MiB, was [" + maxFrameSize + "]");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake-timeout must be positive, was [" + handshakeTimeout + "]");
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("io-threads must be 0 (automatic) or positive, was [" + ioThreads + "]");
        }
    }

    /** Defaults: automatic kind, 8 MiB frames, 10 s handshake, automatic threads. */
    public static TransportSettings defaults() {
        return new TransportSettings(TransportKind.AUTO, 8 * 1024 * 1024, Duration.ofSeconds(10), 0);
    }

    public TransportSettings withKind(TransportKind newKind) {
        return new TransportSettings(newKind, maxFrameSize, handshakeTimeout, ioThreads);
    }

    public TransportSettings withIoThreads(int threads) {
        return new TransportSettings(kind, maxFrameSize, handshakeTimeout, threads);
    }

    public TransportSettings withMaxFrameSize(int bytes) {
        return new TransportSettings(kind, bytes, handshakeTimeout, ioThreads);
    }
}
