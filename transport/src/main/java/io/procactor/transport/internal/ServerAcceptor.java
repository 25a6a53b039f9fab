package io.procactor.transport.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of a listening channel: gives each connection it accepts its pipeline and options
 * and registers it with an event loop. What Netty's {@code ServerBootstrap} puts there, without the
 * annotations whose reading costs a cold process 10-15 ms (see {@link InboundHandler}); as
 * there, a failing accept (out of file descriptors, say) pauses accepting for a second instead of
 * failing in a loop.
 *
 * <p>Threads: called on the listening channel's event loop.
 */
public final class ServerAcceptor extends InboundHandler {
    private static final Logger log = LoggerFactory.getLogger(ServerAcceptor.class);
    private static final long PAUSE_AFTER_FAILURE_SECONDS = 1;
    private final EventLoopGroup group;
    private final ChannelHandler setUp;
    private final boolean tcp;

    /**
     * @param group the event loops accepted connections are registered with
     * @param setUp added to each accepted connection's pipeline (a {@link ChannelSetup})
     * @param tcp whether connections are TCP ones, which get {@code TCP_NODELAY}
     */
    public ServerAcceptor(EventLoopGroup group, ChannelSetup setUp, boolean tcp) {
        this.group = group;
        this.setUp = setUp;
        this.tcp = tcp;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        try {
            child.pipeline().addLast(setUp);
            ChannelConfig config = child.config();
            // A failed write (the peer closed its end: EPIPE) must not close the channel: that would discard
            // what the peer wrote before it went, still unread here. Netty then shuts the output down only,
            // and the channel closes when reading reaches the peer's end of stream.
            config.setAutoClose(false);
            if (tcp && !config.setOption(ChannelOption.TCP_NODELAY, true)) {
                log.warn("Channel {} does not take TCP_NODELAY: small messages may wait for Nagle's algorithm", child);
            }
            group.register(child).addListener(f -> {
                if (!f.isSuccess()) {
                    forceClose(child, f.cause());
                }
            });
        } catch (RuntimeException | Error e) {
            forceClose(child, e);
        }
    }

    private static void forceClose(Channel child, Throwable cause) {
        child.unsafe().closeForcibly();
        log.warn("Cannot serve an accepted connection {}: {}", child, cause.toString());
    }

    // made before it is needed, as Netty does: out of file descriptors, making anything may fail
    private Runnable resume;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ChannelConfig config = ctx.channel().config();
        resume = () -> config.setAutoRead(true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(resume, PAUSE_AFTER_FAILURE_SECONDS, TimeUnit.SECONDS);
            log.warn("Server {} failed to accept a connection ({}); accepting again in {} s", ctx.channel().localAddress(),
                    cause.toString(), PAUSE_AFTER_FAILURE_SECONDS);
        } else {
            log.warn("Server {} failed while it pauses accepting: {}", ctx.channel().localAddress(), cause.toString());
        }
    }
}
