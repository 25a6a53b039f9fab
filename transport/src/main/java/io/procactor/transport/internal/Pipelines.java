package io.procactor.transport.internal;

import io.netty.channel.Channel;
import io.procactor.transport.Connection;
import io.procactor.transport.Inbound;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The one place the channel pipelines are assembled; {@link io.procactor.transport.Transport}
 * only binds and connects. Both read: frames, then handshake, then (once the handshake is done)
 * messages.
 * <pre>
 * server: [SslHandler -> TlsHandshakeWatcher] -> FrameDecoder(HELLO-sized until admitted) -> ServerHandshakeHandler -> MessageHandler
 * client: [SslHandler -> TlsHandshakeWatcher] -> FrameDecoder(max-frame-size)             -> ClientHandshakeHandler -> MessageHandler
 * </pre>
 * The TLS stages (TCP with {@code procactor.transport.tls} only, see {@link TlsLayer}) sit below
 * the framing, which is unchanged by them.
 * Stateless; each {@link ChannelSetup} makes fresh handlers per channel.
 */
public final class Pipelines {
    static final String FRAMES = "frames";
    static final String HANDSHAKE = "handshake";

    private Pipelines() {
    }

    /** The pipeline of a connection a server accepted; {@code track} sees each channel first. */
    public static ChannelSetup server(TransportContext context, ServerGuard guard, Consumer<Channel> track) {
        return server(context, guard, track, null);
    }

    /** As {@link #server(TransportContext, ServerGuard, Consumer)}, with TLS below the frames when {@code tls} is not null. */
    public static ChannelSetup server(TransportContext context, ServerGuard guard, Consumer<Channel> track,
                                                     TlsLayer tls) {
        int maxFrame = context.settings().maxFrameSize();
        long timeoutMillis = context.settings().handshakeTimeout().toMillis();
        return new ChannelSetup(ch -> {
            track.accept(ch);
            if (tls != null) {
                tls.addServer(ch, guard);
            }
            FrameDecoder frames = new FrameDecoder(maxFrame, Frames.MAX_HELLO_FRAME);
            ch.pipeline().addLast(FRAMES, frames);
            ch.pipeline().addLast(HANDSHAKE, new ServerHandshakeHandler(context, guard, frames, timeoutMillis));
        });
    }

    /** The pipeline of a connection to {@code target}, completing {@code result} after the handshake. */
    public static ChannelSetup client(TransportContext context, byte[] token, Inbound inbound,
                                                     CompletableFuture<Connection> result, String target,
                                                     Consumer<Channel> track) {
        return client(context, token, inbound, result, target, track, null);
    }

    /** As the method above, with TLS below the frames when {@code tls} is not null. */
    public static ChannelSetup client(TransportContext context, byte[] token, Inbound inbound,
                                                     CompletableFuture<Connection> result, String target,
                                                     Consumer<Channel> track, TlsLayer tls) {
        int maxFrame = context.settings().maxFrameSize();
        return new ChannelSetup(ch -> {
            track.accept(ch);
            if (tls != null) {
                tls.addClient(ch, target);
            }
            ch.pipeline().addLast(FRAMES, new FrameDecoder(maxFrame));
            ch.pipeline().addLast(HANDSHAKE, new ClientHandshakeHandler(context, token, inbound, result, target));
        });
    }
}
