package io.procactor.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a server listens: a Unix domain socket path or a loopback TCP port. Its text form
 * ({@code unix:/tmp/x/node.sock}, {@code tcp:127.0.0.1:41234}) travels between processes.
 *
 * <p>Immutable and thread-safe.
 */
public final class Endpoint {
    private static final String UNIX = "unix:";
    private static final String TCP = "tcp:";

    private final Path path;          // set for Unix domain sockets
    private final String host;        // set for TCP
    private final int port;

    private Endpoint(Path path, String host, int port) {
        this.path = path;
        this.host = host;
        this.port = port;
    }

    /** A Unix domain socket at {@code path}. */
    public static Endpoint unix(Path path) {
        return new Endpoint(Objects.requireNonNull(path, "path").toAbsolutePath(), null, -1);
    }

    /** A TCP endpoint on the loopback address; port 0 asks the OS for a free port at bind time. */
    public static Endpoint loopback(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TCP port must be between 0 and 65535, was [" + port + "]");
        }
        return new Endpoint(null, "127.0.0.1", port);
    }

    /**
     * A TCP endpoint on another host's address, for traffic between hosts (which should run with
     * TLS, see {@code procactor.transport.tls}). {@code address} must be an IP literal: no name is
     * looked up here, so an endpoint never depends on DNS. Endpoints of children stay on loopback
     * ({@link #parse} accepts only those).
     *
     * @throws IllegalArgumentException naming the address or port and what is expected
     */
    public static Endpoint tcp(String address, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TCP port must be between 0 and 65535, was [" + port + "]");
        }
        if (address == null || !(address.matches("\\d{1,3}(\\.\\d{1,3}){3}") || address.contains(":"))) {
            throw new IllegalArgumentException("TCP address must be an IPv4 or IPv6 literal such as 10.0.0.5, was ["
                    + address + "]; resolve host names before making an endpoint");
        }
        return new Endpoint(null, address, port);
    }

    /**
     * Parses the text form produced by {@link #toString()}.
     *
     * @throws IllegalArgumentException naming the text and the expected forms
     */
    public static Endpoint parse(String text) {
        if (text.startsWith(UNIX) && text.length() > UNIX.length()) {
            return unix(Path.of(text.substring(UNIX.length())));
        }
        if (text.startsWith(TCP)) {
            int colon = text.lastIndexOf(':');
            String host = text.substring(TCP.length(), colon);
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (!host.equals("127.0.0.1")) {
                    throw new IllegalArgumentException("TCP endpoints must be on 127.0.0.1 (loopback only), was [" + text + "]");
                }
                return loopback(port);
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("malformed endpoint [" + text
                + "]; expected unix:/path/to/socket or tcp:127.0.0.1:PORT");
    }

    /**
     * Parses an endpoint that may be on another host ({@code tcp:10.0.0.5:7000}, as {@link #tcp}
     * makes), besides the forms {@link #parse} takes: for the address of a node's cluster endpoint.
     *
     * @throws IllegalArgumentException naming the text and the expected forms
     */
    public static Endpoint parseAny(String text) {
        if (text.startsWith(TCP)) {
            int colon = text.lastIndexOf(':');
            if (colon > TCP.length()) {
                try {
                    return tcp(text.substring(TCP.length(), colon), Integer.parseInt(text.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    // fall through to the error below
                }
            }
            throw new IllegalArgumentException("malformed endpoint [" + text + "]; expected tcp:IP:PORT such as tcp:10.0.0.5:7000");
        }
        return parse(text);
    }

    /** The host's IP literal; only for TCP endpoints. */
    public String host() {
        if (path != null) {
            throw new IllegalStateException("not a TCP endpoint: " + this);
        }
        return host;
    }

    public boolean isUnixDomain() {
        return path != null;
    }

    /** The socket path; only for Unix domain endpoints. */
    public Path path() {
        if (path == null) {
            throw new IllegalStateException("not a Unix domain endpoint: " + this);
        }
        return path;
    }

    /** The TCP port; only for TCP endpoints. */
    public int port() {
        if (path != null) {
            throw new IllegalStateException("not a TCP endpoint: " + this);
        }
        return port;
    }

    /** The JDK socket address, as Netty's NIO channels take it. */
    public SocketAddress toSocketAddress() {
        return path != null ? UnixDomainSocketAddress.of(path) : new InetSocketAddress(host, port);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && Objects.equals(path, e.path) && Objects.equals(host, e.host) && port == e.port;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, host, port);
    }

    @Override
    public String toString() {
        return path != null ? UNIX + path : TCP + host + ":" + port;
    }
}
