package io.procactor.transport.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the {@link SslHandler} and reports a failed TLS handshake once, with a reason
 * an operator can act on: to the server's refusal log, or as the client's connect failure. The
 * {@link SslHandler} has already closed the channel; the raw TLS exceptions it also fires are
 * swallowed here so no later stage logs them again as a bad frame. A handshake that fails because
 * the channel closed for another reason (refused over the pending cap, too slow to send HELLO) is
 * not reported: that stage logged it.
 *
 * <p>Stateful: one instance per channel, called on its event loop only.
 */
final class TlsHandshakeWatcher extends InboundHandler {
    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeWatcher.class);
    private final long timeoutMillis;
    private final BiConsumer<ChannelHandlerContext, String> onFailure;

    /** @param onFailure given the context and the reason, on the event loop, at most once */
    TlsHandshakeWatcher(long timeoutMillis, BiConsumer<ChannelHandlerContext, String> onFailure) {
        this.timeoutMillis = timeoutMillis;
        this.onFailure = onFailure;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        ssl.handshakeFuture().addListener(f -> {
            // A handshake cut short by a close (ours: refused, too slow, transport closed) finds the channel
            // already inactive and was reported, if at all, by whoever closed it.
            if (!f.isSuccess() && ctx.channel().isActive() && TlsFailure.isTls(f.cause())) {
                onFailure.accept(ctx, TlsFailure.reason(f.cause(), timeoutMillis));
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!TlsFailure.isTls(cause)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null && ssl.handshakeFuture().isSuccess()) {
            // After our side's handshake: in TLS 1.3 the server checks the client's certificate after
            // the client finished, so a refused client learns it here, from the server's alert.
            String reason = TlsFailure.reason(cause, timeoutMillis);
            log.warn("Closing TLS connection {} -> {}: {}", ctx.channel().localAddress(), ctx.channel().remoteAddress(),
                    reason);
            ctx.fireExceptionCaught(new SSLException(reason, cause));
        }
        ctx.close(); // a failed handshake was reported by the listener
    }
}
