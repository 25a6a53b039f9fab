package io.procactor.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.procactor.transport.internal.ClientHandshakeHandler;
import io.procactor.transport.internal.FrameDecoder;
import io.procactor.transport.internal.ServerHandshakeHandler;
import io.procactor.transport.internal.Sockets;
import io.procactor.transport.internal.TransportContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Moves registered objects between processes: binds servers, opens connections, owns the event
 * loops. One per process and per node; never static, so several can live in one JVM.
 *
 * <p>Thread-safe.
 */
public final class Transport implements AutoCloseable {
    private final TransportSettings settings;
    private final Sockets sockets;
    private final TransportContext context;
    private final EventLoopGroup group;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

    private Transport(TransportSettings settings, String localName, Registrations registrations) {
        this.settings = settings;
        this.sockets = Sockets.of(settings.kind());
        this.context = new TransportContext(localName, ProcessHandle.current().pid(), registrations,
                settings.maxFrameSize(), Thread.currentThread().getContextClassLoader() != null
                        ? Thread.currentThread().getContextClassLoader() : Transport.class.getClassLoader());
        int threads = settings.ioThreads() > 0 ? settings.ioThreads()
                : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        this.group = sockets.newEventLoopGroup(threads, IO_THREAD_PREFIX + localName);
    }

    /**
     * Creates a transport for this process.
     *
     * @param localName     this process's name, stated in every handshake
     * @param registrations the classes this process can send; a client adopts the rest from the server it connects to
     */
    public static Transport create(TransportSettings settings, String localName, Registrations registrations) {
        return new Transport(settings, localName, registrations);
    }

    /**
     * Whether the calling thread is an event-loop thread of some transport: code on it must not
     * block (it would stall every connection that loop serves).
     */
    public static boolean isIoThread() {
        return Thread.currentThread().getName().startsWith(IO_THREAD_PREFIX);
    }

    private static final String IO_THREAD_PREFIX = "procactor-io-";

    /** The kind actually in use (AUTO resolved). */
    public TransportKind kind() {
        return sockets.kind();
    }

    public TransportSettings settings() {
        return settings;
    }

    /** The current registration table (a client's grows once, when it adopts its server's). */
    public Registrations registrations() {
        return context.codec().registrations();
    }

    /**
     * Listens on {@code endpoint}. A Unix socket file is made readable and writable by this user only.
     * Connections that prove {@code credentials} are handed to {@code acceptor}; others are refused.
     */
    public Server bind(Endpoint endpoint, Credentials credentials, Acceptor acceptor) {
        byte[] token = credentials.token();
        long timeoutMillis = settings.handshakeTimeout().toMillis();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(sockets.serverChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        track(ch);
                        ch.pipeline().addLast("frames", new FrameDecoder(settings.maxFrameSize()));
                        ch.pipeline().addLast("handshake", new ServerHandshakeHandler(context, token, acceptor, timeoutMillis));
                    }
                });
        // A failed write (the peer closed its end: EPIPE) must not close the channel: that would discard
        // what the peer wrote before it went, still unread here. Netty then shuts the output down only,
        // and the channel closes when reading reaches the peer's end of stream.
        b.childOption(ChannelOption.AUTO_CLOSE, false);
        if (!sockets.kind().isUnixDomain()) {
            b.childOption(ChannelOption.TCP_NODELAY, true);
        }
        Channel server = b.bind(sockets.address(endpoint)).syncUninterruptibly().channel();
        track(server);
        Endpoint actual = endpoint;
        if (endpoint.isUnixDomain()) {
            try {
                Files.setPosixFilePermissions(endpoint.path(), PosixFilePermissions.fromString("rw-------"));
            } catch (IOException | UnsupportedOperationException e) {
                server.close();
                throw new IllegalStateException("cannot restrict permissions of socket [" + endpoint.path() + "]", e);
            }
        } else {
            actual = Endpoint.loopback(((InetSocketAddress) server.localAddress()).getPort());
        }
        Endpoint bound = actual;
        return new Server() {
            @Override
            public Endpoint endpoint() {
                return bound;
            }

            @Override
            public void close() {
                if (server.isOpen()) { // after Transport.close() it is closed and its event loop gone
                    server.close().syncUninterruptibly();
                }
                if (bound.isUnixDomain()) {
                    try {
                        Files.deleteIfExists(bound.path());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }

            @Override
            public String toString() {
                return "Server[" + bound + "]";
            }
        };
    }

    /**
     * Connects to {@code endpoint} and proves {@code credentials}. The future completes with the
     * connection after the server's WELCOME, or fails with a {@link HandshakeException} or the
     * connect error. Messages arriving later go to {@code inbound}.
     */
    public CompletableFuture<Connection> connect(Endpoint endpoint, Credentials credentials, Inbound inbound) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        byte[] token = credentials.token();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(sockets.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.handshakeTimeout().toMillis())
                .option(ChannelOption.AUTO_CLOSE, false) // as in bind(): a failed write keeps what is left to read
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        track(ch);
                        ch.pipeline().addLast("frames", new FrameDecoder(settings.maxFrameSize()));
                        ch.pipeline().addLast("handshake",
                                new ClientHandshakeHandler(context, token, inbound, result, endpoint.toString()));
                    }
                });
        if (!sockets.kind().isUnixDomain()) {
            b.option(ChannelOption.TCP_NODELAY, true);
        }
        b.connect(sockets.address(endpoint)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new HandshakeException("cannot connect to [" + endpoint + "]: " + f.cause(), f.cause()));
            } else {
                f.channel().eventLoop().schedule(() -> {
                    if (!result.isDone()) {
                        result.completeExceptionally(new HandshakeException("no WELCOME from [" + endpoint + "] within "
                                + settings.handshakeTimeout().toMillis() + " ms"));
                        f.channel().close();
                    }
                }, settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
        return result;
    }

    private void track(Channel ch) {
        channels.add(ch);
        ch.closeFuture().addListener(f -> channels.remove(ch));
    }

    /** Closes every server and connection and stops the event loops; returns when they have stopped. */
    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
