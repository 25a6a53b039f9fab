package io.procactor.transport.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.util.concurrent.ScheduledFuture;
import io.procactor.transport.Admission;
import io.procactor.transport.Hello;
import io.procactor.transport.Inbound;
import io.procactor.transport.PeerInfo;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of the handshake. A new connection takes one of the server's pending-handshake
 * slots (none free: it is closed at once, unanswered) and must send a HELLO within the handshake
 * timeout, counted from accept. The HELLO (at most {@link Frames#MAX_HELLO_FRAME} bytes, enforced
 * by the {@link FrameDecoder}) must carry our protocol version; then the server's
 * {@link io.procactor.transport.Gatekeeper} decides, given the claimed name and pid, the kernel's
 * peer credentials and the token. Only an admitted peer gets WELCOME, after which this stage
 * replaces itself with a {@link MessageHandler}. Anything else gets REFUSE and the connection is
 * closed; the frame decoder drops whatever the peer sends after that, so nothing of a refused
 * peer is ever decoded.
 *
 * <p>Stateful: one instance per channel, called on its event loop only.
 */
public final class ServerHandshakeHandler extends InboundHandler {
    private static final Logger log = LoggerFactory.getLogger(ServerHandshakeHandler.class);
    /** How long a REFUSE may take to reach a peer that does not read before the connection is closed anyway. */
    private static final long REFUSE_GRACE_MILLIS = 1000;

    private final TransportContext context;
    private final ServerGuard guard;
    private final FrameDecoder frames;
    private final long timeoutMillis;
    private ScheduledFuture<?> timeout;
    private ChannelHandlerContext ctx;
    private boolean holdsSlot;
    /** Admitted or refused: no further frame is handled here. */
    private boolean decided;

    public ServerHandshakeHandler(TransportContext context, ServerGuard guard, FrameDecoder frames, long timeoutMillis) {
        this.context = context;
        this.guard = guard;
        this.frames = frames;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!guard.tryEnter()) {
            decided = true;
            frames.reject();
            guard.refused("Refused connection on " + ctx.channel().localAddress() + from(ctx.channel(), null) + ": ["
                    + guard.maxPending() + "] handshakes are already pending (max-pending-handshakes); closed unanswered");
            ctx.close();
            return;
        }
        holdsSlot = true;
        timeout = ctx.executor().schedule(() -> refuse(ctx, null, "no HELLO within " + timeoutMillis + " ms"),
                timeoutMillis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        InboundFrame frame = (InboundFrame) msg;
        try {
            if (decided) {
                return; // a refused peer's frames that were decoded before the refusal: dropped unread
            }
            if (frame.kind() != Frames.HELLO) {
                refuse(ctx, null, "expected HELLO, got " + Frames.kindName(frame.kind()));
                return;
            }
            Handshake.Hello parsed;
            try {
                parsed = Handshake.readHello(frame.body());
            } catch (IndexOutOfBoundsException e) {
                refuse(ctx, null, "malformed HELLO");
                return;
            }
            PeerInfo peer = parsed.peer().withKernel(KernelPeer.of(ctx.channel()));
            if (peer.protocolVersion() != Frames.PROTOCOL_VERSION) {
                refuse(ctx, peer, "protocol version [" + peer.protocolVersion() + "] is not supported; this side speaks ["
                        + Frames.PROTOCOL_VERSION + "]");
                return;
            }
            admit(ctx, new Hello(peer, parsed.token()));
        } finally {
            frame.body().release();
        }
    }

    private void admit(ChannelHandlerContext ctx, Hello hello) {
        PeerInfo peer = hello.peer();
        Admission admission;
        try {
            admission = guard.gatekeeper().admit(hello);
        } catch (RuntimeException e) {
            log.error("Gatekeeper failed on the HELLO of {}; refusing it", peer, e);
            refuse(ctx, peer, "internal error");
            return;
        }
        if (!admission.accepted()) {
            refuse(ctx, peer, admission.refusal());
            return;
        }
        if (!hello.tokenProven()) {
            log.error("Gatekeeper admitted {} without checking its token (Hello.proves); refusing it", peer);
            refuse(ctx, peer, "wrong token");
            return;
        }
        decided = true;
        cancelTimeout();
        leaveSlot();
        frames.admit();
        NettyConnection connection = new NettyConnection(ctx.channel(), peer, context::codec);
        Inbound inbound;
        try {
            inbound = admission.acceptor().accepted(connection);
        } catch (RuntimeException e) {
            log.error("Acceptor failed on the connection of {}; closing it", peer, e);
            ctx.close();
            return;
        }
        ctx.writeAndFlush(Handshake.welcome(ctx.alloc(), context.localName(), context.localPid(),
                context.codec().registrations().table()));
        ctx.pipeline().replace(this, "messages", new MessageHandler(connection, inbound, context::codec));
    }

    /**
     * The TLS handshake below failed (the TLS layer closes the connection): counted and logged as a
     * refusal, unless this stage already decided (its HELLO timeout, same length, may fire first).
     */
    void tlsFailed(String reason) {
        if (decided || ctx == null) {
            return;
        }
        decided = true;
        frames.reject();
        cancelTimeout();
        Channel ch = ctx.channel();
        InetSocketAddress from = ch.remoteAddress() instanceof InetSocketAddress a ? a : null;
        guard.refused("Refused connection on " + ch.localAddress()
                + (from != null ? " from " + from.getAddress().getHostAddress() + ":" + from.getPort() : "") + ": " + reason);
    }

    private void refuse(ChannelHandlerContext ctx, PeerInfo peer, String reason) {
        if (decided) {
            return;
        }
        decided = true;
        frames.reject();
        cancelTimeout();
        guard.refused("Refused connection on " + ctx.channel().localAddress() + from(ctx.channel(), peer) + ": "
                + LogText.escape(reason, 300));
        Channel ch = ctx.channel();
        if (ch.isActive()) {
            ctx.writeAndFlush(Handshake.refuse(ctx.alloc(), reason)).addListener(ChannelFutureListener.CLOSE);
            ctx.executor().schedule(() -> ch.close(), REFUSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** " from NAME (pid N, kernel: ...)", as far as known; peer text is escaped. */
    private static String from(Channel ch, PeerInfo peer) {
        StringBuilder b = new StringBuilder();
        if (peer != null) {
            b.append(" from ").append(peer).append(" [").append(peer.kernel()).append(']');
        }
        if (ch.remoteAddress() instanceof InetSocketAddress tcp) {
            b.append(" (").append(tcp.getAddress().getHostAddress()).append(':').append(tcp.getPort()).append(')');
        }
        return b.toString();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    private void leaveSlot() {
        if (holdsSlot) {
            holdsSlot = false;
            guard.leave();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!decided) {
            String reason = cause instanceof CorruptedFrameException || cause.getCause() == null
                    ? cause.getMessage() : cause.toString();
            refuse(ctx, null, "bad frame during handshake: " + reason);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        leaveSlot();
        ctx.fireChannelInactive();
    }
}
