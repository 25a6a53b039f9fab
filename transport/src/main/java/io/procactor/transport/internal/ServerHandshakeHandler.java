package io.procactor.transport.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.util.concurrent.ScheduledFuture;
import io.procactor.transport.Acceptor;
import io.procactor.transport.Inbound;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of the handshake: the first frame must be a HELLO with our protocol version and the
 * run token (compared in constant time). Anything else is refused with a REFUSE frame and the
 * connection is closed. On success this stage replaces itself with a {@link MessageHandler}.
 * Stateful: one instance per channel.
 */
public final class ServerHandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerHandshakeHandler.class);

    private final TransportContext context;
    private final byte[] token;
    private final Acceptor acceptor;
    private final long timeoutMillis;
    private ScheduledFuture<?> timeout;

    public ServerHandshakeHandler(TransportContext context, byte[] token, Acceptor acceptor, long timeoutMillis) {
        this.context = context;
        this.token = token;
        this.acceptor = acceptor;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> refuse(ctx, "no HELLO within " + timeoutMillis + " ms"),
                timeoutMillis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        InboundFrame frame = (InboundFrame) msg;
        try {
            if (frame.kind() != Frames.HELLO) {
                refuse(ctx, "expected HELLO, got " + Frames.kindName(frame.kind()));
                return;
            }
            Handshake.Hello hello = Handshake.readHello(frame.body());
            if (hello.peer().protocolVersion() != Frames.PROTOCOL_VERSION) {
                refuse(ctx, "protocol version [" + hello.peer().protocolVersion() + "] is not supported; this side speaks ["
                        + Frames.PROTOCOL_VERSION + "]");
                return;
            }
            if (!MessageDigest.isEqual(token, hello.token())) {
                refuse(ctx, "wrong token from " + hello.peer());
                return;
            }
            timeout.cancel(false);
            NettyConnection connection = new NettyConnection(ctx.channel(), hello.peer(), context::codec);
            Inbound inbound = acceptor.accepted(connection);
            ctx.writeAndFlush(Handshake.welcome(ctx.alloc(), context.localName(), context.localPid(),
                    context.codec().registrations().table()));
            ctx.pipeline().replace(this, "messages", new MessageHandler(connection, inbound, context::codec));
        } catch (IndexOutOfBoundsException e) {
            refuse(ctx, "malformed HELLO");
        } finally {
            frame.body().release();
        }
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        log.warn("Refused connection on {}: {}", ctx.channel().localAddress(), reason);
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Handshake.refuse(ctx.alloc(), reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String reason = cause instanceof CorruptedFrameException || cause.getCause() == null
                ? cause.getMessage() : cause.toString();
        refuse(ctx, "bad frame during handshake: " + reason);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
