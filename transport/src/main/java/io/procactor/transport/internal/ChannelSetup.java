package io.procactor.transport.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a channel's pipeline once the channel is registered, then leaves it: what Netty's
 * {@code ChannelInitializer} does, without its {@code @Sharable} annotation, whose reading costs a
 * cold process 10-15 ms (see {@link InboundHandler}). Keeps no state per channel, so one instance
 * serves every channel a server accepts: it is in a pipeline only until that pipeline is built.
 *
 * <p>Threads: called on each channel's event loop; {@code setUp} must be safe to run on several
 * event loops at once.
 */
public final class ChannelSetup extends InboundHandler {
    private static final Logger log = LoggerFactory.getLogger(ChannelSetup.class);
    private final Consumer<Channel> setUp;

    public ChannelSetup(Consumer<Channel> setUp) {
        this.setUp = setUp;
    }

    // Netty calls handlerAdded when the channel registers (a handler added before registration waits
    // for it), before channelRegistered; the latter is the fallback ChannelInitializer also keeps.
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isRegistered()) {
            setUp(ctx);
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        setUp(ctx);
        ctx.pipeline().fireChannelRegistered(); // from the head: the stages just added see it too
    }

    private void setUp(ChannelHandlerContext ctx) {
        try {
            setUp.accept(ctx.channel());
        } catch (RuntimeException | Error e) {
            log.warn("Cannot set up channel {}; closing it", ctx.channel(), e);
            ctx.close();
        } finally {
            if (!ctx.isRemoved()) {
                ctx.pipeline().remove(this);
            }
        }
    }
}
