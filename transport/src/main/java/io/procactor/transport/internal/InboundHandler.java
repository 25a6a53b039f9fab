package io.procactor.transport.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;

/**
 * An inbound handler that passes on every event it does not override: Netty's
 * {@code ChannelInboundHandlerAdapter} without its annotations. Netty looks for {@code @Skip} on
 * each of a handler class's event methods and for {@code @Sharable} on the class, by reflection,
 * and the first annotation the JVM reads makes it generate a proxy class for every annotation type
 * involved (JDK 17 cannot archive them): 10-15 ms of a cold child's start, interpreted code on
 * the way to its first message. Our handlers, {@link ChannelSetup} and {@link ServerAcceptor}
 * carry no annotation, so a process reads none (with TLS, between nodes only, Netty's
 * {@code SslHandler} still has Netty read them). {@code InboundHandlersTest} keeps it so.
 *
 * <p>The price: an event a handler does not override still passes through it (one call), where
 * Netty would have skipped it. The events concerned are rare (registration, activation,
 * writability), not reads. And, not being a {@code ChannelHandlerAdapter}, a handler is not
 * refused by Netty when added to a second pipeline: each stateful stage must be made per channel
 * (as {@link Pipelines} does).
 *
 * <p>Threads: as any handler, called on its channel's event loop.
 */
public abstract class InboundHandler implements ChannelInboundHandler {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelUnregistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        ctx.fireExceptionCaught(cause);
    }
}
