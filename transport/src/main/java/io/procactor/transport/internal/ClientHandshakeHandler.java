package io.procactor.transport.internal;

import io.netty.channel.ChannelHandlerContext;
import io.procactor.transport.Connection;
import io.procactor.transport.HandshakeException;
import io.procactor.transport.Inbound;
import java.util.concurrent.CompletableFuture;

/**
 * Client side of the handshake: sends HELLO, then waits for WELCOME (adopting the server's
 * registration table) or REFUSE. Completes {@code result} either way and replaces itself with a
 * {@link MessageHandler} on success. The server's REFUSE reason is peer text: it is escaped and
 * cut before it goes into the exception. Stateful: one instance per channel.
 */
public final class ClientHandshakeHandler extends InboundHandler {
    private final TransportContext context;
    private final byte[] token;
    private final Inbound inbound;
    private final CompletableFuture<Connection> result;
    private final String target;

    public ClientHandshakeHandler(TransportContext context, byte[] token, Inbound inbound,
                                  CompletableFuture<Connection> result, String target) {
        this.context = context;
        this.token = token;
        this.inbound = inbound;
        this.result = result;
        this.target = target;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Handshake.hello(ctx.alloc(), context.localName(), context.localPid(), token));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        InboundFrame frame = (InboundFrame) msg;
        try {
            switch (frame.kind()) {
                case Frames.WELCOME -> {
                    Handshake.Welcome welcome = Handshake.readWelcome(frame.body());
                    context.adopt(welcome.table());
                    NettyConnection connection = new NettyConnection(ctx.channel(),
                            welcome.peer().withKernel(KernelPeer.of(ctx.channel())), context::codec);
                    ctx.pipeline().replace(this, "messages", new MessageHandler(connection, inbound, context::codec));
                    result.complete(connection);
                }
                case Frames.REFUSE -> fail(ctx, new HandshakeException(target + " refused the connection: "
                        + LogText.escape(Handshake.readRefuse(frame.body()), 1000)));
                default -> fail(ctx, new HandshakeException(target + " sent " + Frames.kindName(frame.kind())
                        + " instead of WELCOME"));
            }
        } catch (HandshakeException e) {
            fail(ctx, e);
        } catch (RuntimeException e) {
            fail(ctx, new HandshakeException("malformed WELCOME from " + target + ": " + e, e));
        } finally {
            frame.body().release();
        }
    }

    private void fail(ChannelHandlerContext ctx, HandshakeException e) {
        result.completeExceptionally(e);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HandshakeException e) { // already says what failed (a TLS handshake)
            fail(ctx, e);
            return;
        }
        fail(ctx, new HandshakeException("handshake with " + target + " failed: " + cause, cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        result.completeExceptionally(new HandshakeException(target + " closed the connection during the handshake"));
        ctx.fireChannelInactive();
    }
}
