package io.procactor.transport.internal;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.procactor.transport.HandshakeException;
import io.procactor.transport.TlsSettings;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts TLS at the bottom of a TCP pipeline, below the framing: frames, their length bounds and
 * the handshake are the same as without TLS, only the bytes are encrypted. The JDK engine's
 * handshake work (signatures, certificate path checks) runs on {@code delegatedTasks}, never on
 * the event loop; the handshake is bounded by the transport's handshake timeout.
 *
 * <p>Immutable and thread-safe; the handlers it adds are per channel.
 */
public final class TlsLayer {
    static final String TLS = "tls";
    static final String TLS_WATCH = "tls-watch";
    private static final Logger log = LoggerFactory.getLogger(TlsLayer.class);

    private final TlsContexts contexts;
    private final Executor delegatedTasks;
    private final long timeoutMillis;

    public TlsLayer(TlsSettings settings, Executor delegatedTasks, long timeoutMillis) {
        this.contexts = TlsContexts.load(settings);
        this.delegatedTasks = delegatedTasks;
        this.timeoutMillis = timeoutMillis;
    }

    /** Adds TLS (server mode, client certificate required) to a connection a server accepted. */
    void addServer(Channel ch, ServerGuard guard) {
        SslHandler ssl = contexts.server().newHandler(ch.alloc(), delegatedTasks);
        ssl.setHandshakeTimeoutMillis(timeoutMillis);
        ch.pipeline().addLast(TLS, ssl);
        ch.pipeline().addLast(TLS_WATCH, new TlsHandshakeWatcher(timeoutMillis, (ctx, reason) -> {
            ServerHandshakeHandler handshake = ctx.pipeline().get(ServerHandshakeHandler.class);
            if (handshake != null) {
                handshake.tlsFailed(reason); // counted and logged once, even if the HELLO timeout fires too
            } else {
                guard.refused("Refused connection on " + ctx.channel().localAddress() + " from "
                        + address(ctx.channel()) + ": " + reason);
            }
        }));
    }

    /** Adds TLS (client mode, presenting our certificate) to a connection to {@code target}. */
    void addClient(Channel ch, String target) {
        SslHandler ssl = contexts.client().newHandler(ch.alloc(), delegatedTasks);
        ssl.setHandshakeTimeoutMillis(timeoutMillis);
        ch.pipeline().addLast(TLS, ssl);
        ch.pipeline().addLast(TLS_WATCH, new TlsHandshakeWatcher(timeoutMillis, (ctx, reason) -> {
            log.warn("TLS handshake with {} ({}) failed: {}", target, address(ctx.channel()), reason);
            ctx.fireExceptionCaught(new HandshakeException("TLS handshake with " + target + " failed: " + reason));
        }));
    }

    private static String address(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(ch.remoteAddress());
    }
}
