package io.procactor.transport;

import java.util.Locale;

/**
 * Which kind of socket carries frames. Epoll and NIO Unix domain sockets are the same socket
 * family on the wire, so a peer using one talks to a peer using the other. An enum: immutable and
 * thread-safe.
 */
public enum TransportKind {
    /** Native epoll Unix domain sockets where available, otherwise JDK NIO Unix domain sockets. */
    AUTO("auto"),
    /** Netty's native epoll transport over Unix domain sockets (Linux only). */
    EPOLL("epoll"),
    /** JDK NIO Unix domain sockets (JDK 16+, any OS with AF_UNIX). */
    NIO_UNIX("nio-unix"),
    /** Loopback TCP on 127.0.0.1: the fallback where Unix domain sockets cannot be used. */
    TCP("tcp");

    private final String configName;

    TransportKind(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration ({@code procactor.transport.kind}). */
    public String configName() {
        return configName;
    }

    /** True for the kinds whose endpoints are Unix domain socket paths. */
    public boolean isUnixDomain() {
        return this != TCP;
    }

    /**
     * Parses a configuration value.
     *
     * @throws IllegalArgumentException naming the value and the allowed values
     */
    public static TransportKind fromConfig(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (TransportKind k : values()) {
            if (k.configName.equals(v)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown transport kind [" + value
                + "]; allowed values are auto, epoll, nio-unix, tcp");
    }
}
