package io.procactor.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.procactor.transport.internal.OccasionalClasses;
import io.procactor.transport.internal.Pipelines;
import io.procactor.transport.internal.ServerAcceptor;
import io.procactor.transport.internal.ServerGuard;
import io.procactor.transport.internal.Sockets;
import io.procactor.transport.internal.TlsLayer;
import io.procactor.transport.internal.TransportContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Moves registered objects between processes: binds servers, opens connections, owns the event
 * loops. One per process and per node; never static, so several can live in one JVM. The channel
 * pipelines are assembled in {@code internal.Pipelines}.
 *
 * <p>Thread-safe.
 */
public final class Transport implements AutoCloseable {
    private static final String IO_THREAD_PREFIX = "procactor-io-";
    private static final String TLS_THREAD_PREFIX = "procactor-tls-";

    private final TransportSettings settings;
    private final Sockets sockets;
    private final TransportContext context;
    private final EventLoopGroup group;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    /**
     * Connects not yet completed, and where to: close() fails them, since Netty drops the callbacks
     * it cannot run on a stopped event loop (only logging it) and they would never complete.
     */
    private final Map<CompletableFuture<Connection>, Endpoint> connecting = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Null without TLS. */
    private final TlsLayer tls;
    private final ExecutorService tlsTasks;

    private Transport(TransportSettings settings, String localName, Registrations registrations) {
        OccasionalClasses.load();
        this.settings = settings;
        this.sockets = Sockets.of(settings.kind());
        this.context = new TransportContext(localName, ProcessHandle.current().pid(), registrations, settings,
                Thread.currentThread().getContextClassLoader() != null
                        ? Thread.currentThread().getContextClassLoader() : Transport.class.getClassLoader());
        int threads = settings.ioThreads() > 0 ? settings.ioThreads()
                : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        if (settings.usesTls(sockets.kind())) {
            // Handshake CPU work (signatures, certificate path checks) stays off the event loops.
            this.tlsTasks = Executors.newFixedThreadPool(Math.max(1, threads / 2),
                    new io.netty.util.concurrent.DefaultThreadFactory(TLS_THREAD_PREFIX + localName, true));
            try {
                this.tls = new TlsLayer(settings.tls(), tlsTasks, settings.handshakeTimeout().toMillis());
            } catch (RuntimeException e) {
                tlsTasks.shutdownNow();
                throw e;
            }
        } else {
            this.tlsTasks = null;
            this.tls = null;
        }
        this.group = sockets.newEventLoopGroup(threads, IO_THREAD_PREFIX + localName);
    }

    /**
     * Creates a transport for this process.
     *
     * @param localName     this process's name, stated in every handshake
     * @param registrations the classes this process can send; a client adopts the rest from the server it connects to
     * @throws TlsConfigurationException when TLS is on for TCP and its files cannot be used
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

    /** Whether this transport's connections use mutual TLS (TCP with TLS enabled). */
    public boolean usesTls() {
        return tls != null;
    }

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
     * Checks that {@code message}'s class can be sent: registered in {@link #registrations()} or
     * one of Kryo's built-in types ({@code String}, primitives). Only the top-level class is
     * checked; classes inside it are checked when it is encoded at {@link Connection#send}.
     *
     * @throws SerializationException naming the class when it is not registered
     */
    public void requireEncodable(Object message) {
        context.codec().requireEncodable(message);
    }

    /**
     * Listens on {@code endpoint} and serves every peer that proves {@code credentials}, the one
     * secret all of them share; others are refused. A Unix socket file is made readable and
     * writable by this user only.
     */
    public Server bind(Endpoint endpoint, Credentials credentials, Acceptor acceptor) {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(acceptor, "acceptor");
        return bind(endpoint, hello -> hello.proves(credentials) ? Admission.accept(acceptor)
                : Admission.refuse("wrong token"));
    }

    /**
     * Listens on {@code endpoint}; {@code gatekeeper} decides for every HELLO, before anything is
     * answered, and must check the token with {@link Hello#proves} (a peer admitted without a proven
     * token is refused). A Unix socket file is made readable and writable by this user only.
     */
    public Server bind(Endpoint endpoint, Gatekeeper gatekeeper) {
        ServerGuard guard = new ServerGuard(Objects.requireNonNull(gatekeeper, "gatekeeper"), settings.maxPendingHandshakes());
        SocketAddress address = sockets.address(endpoint); // before the channel exists: it throws for a wrong kind
        if (closed) {
            throw new IllegalStateException("cannot listen on [" + endpoint + "]: the transport is closed");
        }
        // Netty's ServerBootstrap would add its own stages, which carry annotations (see ServerAcceptor)
        Channel server = new ReflectiveChannelFactory<>(sockets.serverChannel()).newChannel();
        server.pipeline().addLast(new ServerAcceptor(group, Pipelines.server(context, guard, this::track, tls),
                !sockets.kind().isUnixDomain()));
        ChannelFuture registered = group.register(server).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            server.unsafe().closeForcibly(); // as a bootstrap does: never registered, it has no event loop to close on
            if (closed) {
                throw new IllegalStateException("cannot listen on [" + endpoint + "]: the transport is closed", registered.cause());
            }
        }
        registered.syncUninterruptibly(); // throws its cause
        // Registered, then bound: see connect()
        server.bind(address).addListener(ChannelFutureListener.CLOSE_ON_FAILURE).syncUninterruptibly();
        track(server);
        Endpoint bound = endpoint;
        if (endpoint.isUnixDomain()) {
            try {
                Files.setPosixFilePermissions(endpoint.path(), PosixFilePermissions.fromString("rw-------"));
            } catch (IOException | UnsupportedOperationException e) {
                server.close();
                throw new IllegalStateException("cannot restrict permissions of socket [" + endpoint.path() + "]", e);
            }
        } else {
            InetSocketAddress local = (InetSocketAddress) server.localAddress();
            bound = endpoint.host().equals("127.0.0.1") ? Endpoint.loopback(local.getPort())
                    : Endpoint.tcp(local.getAddress().getHostAddress(), local.getPort());
        }
        return new BoundServer(server, bound, guard);
    }

    /**
     * Connects to {@code endpoint} and proves {@code credentials}. The future completes with the
     * connection after the server's WELCOME, or fails with a {@link HandshakeException} or the
     * connect error. Messages arriving later go to {@code inbound}.
     */
    public CompletableFuture<Connection> connect(Endpoint endpoint, Credentials credentials, Inbound inbound) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        SocketAddress address = sockets.address(endpoint); // throws for a wrong kind, before anything is kept
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            result.completeExceptionally(new HandshakeException("cannot connect to [" + endpoint + "]: host ["
                    + inet.getHostString() + "] does not resolve to an address"));
            return result;
        }
        connecting.put(result, endpoint); // before the check: a close() from now on sees it
        result.whenComplete((c, e) -> connecting.remove(result));
        if (closed) {
            result.completeExceptionally(closedWhileConnecting(endpoint));
            return result;
        }
        long timeoutMillis = settings.handshakeTimeout().toMillis();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(sockets.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis)
                .option(ChannelOption.AUTO_CLOSE, false) // as in bind(): a failed write keeps what is left to read
                .handler(Pipelines.client(context, credentials.token(), inbound, result, endpoint.toString(), this::track, tls));
        if (!sockets.kind().isUnixDomain()) {
            b.option(ChannelOption.TCP_NODELAY, true);
        }
        // Registered, then connected, instead of Bootstrap.connect(): that takes one of two paths by
        // whether the event loop has registered the channel yet, and the class of the second is
        // missing from the class-data archive of a child that took the first. Loading it opened every
        // jar of the class path, the only jars a cold child opened at all (about 10 ms of its start).
        b.register().addListener((ChannelFutureListener) registered -> {
            if (!registered.isSuccess()) {
                result.completeExceptionally(new HandshakeException("cannot connect to [" + endpoint + "]: "
                        + registered.cause(), registered.cause()));
                return;
            }
            // a task, as Bootstrap does: the channel's registration completes before it fires channelActive
            // for a channel already active, and a Unix socket's connect is done at once, so a connect made
            // inside this listener would have channelActive fired twice (two HELLOs)
            Channel ch = registered.channel();
            try {
                ch.eventLoop().execute(() -> ch.connect(address).addListener(ChannelFutureListener.CLOSE_ON_FAILURE)
                        .addListener(connected(endpoint, timeoutMillis, result)));
            } catch (RejectedExecutionException e) { // this transport is closing
                ch.close();
                result.completeExceptionally(new HandshakeException("cannot connect to [" + endpoint + "]: the transport is closed", e));
            }
        });
        return result;
    }

    private static ChannelFutureListener connected(Endpoint endpoint, long timeoutMillis, CompletableFuture<Connection> result) {
        return f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new HandshakeException("cannot connect to [" + endpoint + "]: " + f.cause(), f.cause()));
            } else {
                f.channel().eventLoop().schedule(() -> {
                    if (!result.isDone()) {
                        result.completeExceptionally(new HandshakeException("no WELCOME from [" + endpoint + "] within "
                                + timeoutMillis + " ms"));
                        f.channel().close();
                    }
                }, timeoutMillis, TimeUnit.MILLISECONDS);
            }
        };
    }

    private void track(Channel ch) {
        channels.add(ch);
        ch.closeFuture().addListener(f -> channels.remove(ch));
    }

    /**
     * Closes every server and connection and stops the event loops; returns when they have stopped.
     * A connect still under way fails; later connects and binds fail at once.
     */
    @Override
    public void close() {
        closed = true;
        for (Channel ch : channels) {
            ch.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (tlsTasks != null) {
            tlsTasks.shutdownNow();
        }
        connecting.forEach((result, endpoint) -> result.completeExceptionally(closedWhileConnecting(endpoint)));
    }

    private static HandshakeException closedWhileConnecting(Endpoint endpoint) {
        return new HandshakeException("cannot connect to [" + endpoint + "]: the transport is closed");
    }

    /** A listening channel and what its connections share. */
    private static final class BoundServer implements Server {
        private final Channel channel;
        private final Endpoint endpoint;
        private final ServerGuard guard;

        BoundServer(Channel channel, Endpoint endpoint, ServerGuard guard) {
            this.channel = channel;
            this.endpoint = endpoint;
            this.guard = guard;
        }

        @Override
        public Endpoint endpoint() {
            return endpoint;
        }

        @Override
        public long refusedConnections() {
            return guard.refusedConnections();
        }

        @Override
        public int pendingHandshakes() {
            return guard.pendingHandshakes();
        }

        @Override
        public void close() {
            if (channel.isOpen()) { // after Transport.close() it is closed and its event loop gone
                channel.close().syncUninterruptibly();
            }
            if (endpoint.isUnixDomain()) {
                try {
                    Files.deleteIfExists(endpoint.path());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public String toString() {
            return "Server[" + endpoint + "]";
        }
    }
}
