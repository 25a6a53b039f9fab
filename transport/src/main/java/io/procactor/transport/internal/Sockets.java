package io.procactor.transport.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.procactor.transport.Endpoint;
import io.procactor.transport.TransportKind;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The one place that knows which Netty classes implement each {@link TransportKind}, and the one
 * place event loops are made.
 */
public enum Sockets {
    EPOLL(TransportKind.EPOLL, EpollServerDomainSocketChannel.class, EpollDomainSocketChannel.class),
    NIO_UNIX(TransportKind.NIO_UNIX, NioServerDomainSocketChannel.class, NioDomainSocketChannel.class),
    TCP(TransportKind.TCP, NioServerSocketChannel.class, NioSocketChannel.class);

    private final TransportKind kind;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> clientChannel;

    Sockets(TransportKind kind, Class<? extends ServerChannel> serverChannel, Class<? extends Channel> clientChannel) {
        this.kind = kind;
        this.serverChannel = serverChannel;
        this.clientChannel = clientChannel;
    }

    /** Resolves AUTO to epoll where the native library loads, else NIO domain sockets. */
    public static Sockets of(TransportKind kind) {
        return switch (kind) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO_UNIX;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("procactor.transport.kind = epoll, but native epoll is unavailable here ("
                            + Epoll.unavailabilityCause() + "); use auto or nio-unix");
                }
                yield EPOLL;
            }
            case NIO_UNIX -> NIO_UNIX;
            case TCP -> TCP;
        };
    }

    public TransportKind kind() {
        return kind;
    }

    /**
     * How long an epoll event loop polls before it sleeps, in microseconds (see {@code SpinThenSelect}):
     * system property {@code procactor.transport.io-spin-micros}, else the environment variable
     * {@code PROCACTOR_IO_SPIN_MICROS} (which child JVMs inherit), else {@link #DEFAULT_SPIN_MICROS}; 0 = never.
     */
    public static long spinMicros() {
        String v = System.getProperty("procactor.transport.io-spin-micros", System.getenv("PROCACTOR_IO_SPIN_MICROS"));
        if (v == null || v.isBlank()) {
            return DEFAULT_SPIN_MICROS;
        }
        try {
            return Math.max(0, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("procactor.transport.io-spin-micros (or PROCACTOR_IO_SPIN_MICROS) must be a whole"
                    + " number of microseconds, 0 to never poll, was [" + v + "]");
        }
    }

    /** Default of {@link #spinMicros()}. */
    public static final long DEFAULT_SPIN_MICROS = 0;

    public EventLoopGroup newEventLoopGroup(int threads, String name) {
        long spin = spinMicros();
        IoHandlerFactory io = this != EPOLL ? NioIoHandler.newFactory()
                : spin > 0 ? EpollIoHandler.newFactory(0, SpinThenSelect.factory(spin)) : EpollIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
        group.forEach(loop -> loop.scheduleAtFixedRate(NOTHING, 1, 1, TimeUnit.DAYS));
        return group;
    }

    /**
     * Netty 4.2's event loop with no scheduled task at all wakes every second (its
     * SCHEDULE_PURGE_INTERVAL) whether or not there is anything to do: an idle child's I/O thread then
     * costs a wake-up a second. With this far-off task on the calendar it sleeps until I/O, a task or
     * that day comes. Netty cancels it when the group shuts down.
     */
    private static final Runnable NOTHING = () -> {
    };

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends Channel> clientChannel() {
        return clientChannel;
    }

    /** Checks that the endpoint fits this kind of socket. */
    public SocketAddress address(Endpoint endpoint) {
        if (endpoint.isUnixDomain() != kind.isUnixDomain()) {
            throw new IllegalArgumentException("endpoint [" + endpoint + "] does not fit transport kind [" + kind.configName() + "]");
        }
        return this == EPOLL ? new DomainSocketAddress(endpoint.path().toString()) : endpoint.toSocketAddress();
    }
}
