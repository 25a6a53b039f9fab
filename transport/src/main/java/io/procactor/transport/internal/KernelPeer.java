package io.procactor.transport.internal;

import com.sun.security.auth.module.UnixSystem;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.procactor.transport.PeerCredentials;
import java.io.IOException;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the kernel who is on the other end of a Unix domain socket ({@code SO_PEERCRED}): pid,
 * uid and gid through Netty's epoll channel; user and group names through the JDK's NIO channel
 * (the JDK does not expose the pid); nothing over TCP. Stateless.
 */
final class KernelPeer {
    private static final Logger log = LoggerFactory.getLogger(KernelPeer.class);
    private static final ChannelOption<UnixDomainPrincipal> PEERCRED = NioChannelOption.of(ExtendedSocketOptions.SO_PEERCRED);
    private static final Self SELF = Self.load();

    /** This process's user, to tell whether a peer is the same user; unknown where the JDK cannot say. */
    private record Self(long uid, String user) {
        static Self load() {
            try {
                UnixSystem unix = new UnixSystem();
                return new Self(unix.getUid(), unix.getUsername());
            } catch (LinkageError | RuntimeException e) { // not a Unix, or jdk.security.auth left out of the runtime
                log.debug("Cannot tell this process's user id: {}", e.toString());
                return new Self(-1, null);
            }
        }

        boolean is(long uid) {
            return this.uid >= 0 && this.uid == uid;
        }

        /** The JDK names a user without a passwd entry by its numeric id. */
        boolean is(String name) {
            return name != null && (name.equals(user) || (uid >= 0 && name.equals(Long.toString(uid))));
        }
    }

    private KernelPeer() {
    }

    static PeerCredentials of(Channel channel) {
        try {
            if (channel instanceof EpollDomainSocketChannel epoll) {
                io.netty.channel.unix.PeerCredentials c = epoll.peerCredentials();
                long uid = Integer.toUnsignedLong(c.uid());
                int[] gids = c.gids();
                long gid = gids != null && gids.length > 0 ? Integer.toUnsignedLong(gids[0]) : -1;
                return PeerCredentials.ofIds(c.pid(), uid, gid, SELF.is(uid));
            }
            if (channel instanceof NioDomainSocketChannel nio) {
                UnixDomainPrincipal p = nio.config().getOption(PEERCRED);
                if (p == null) {
                    return PeerCredentials.NONE;
                }
                String user = p.user().getName();
                return PeerCredentials.ofNames(user, p.group() != null ? p.group().getName() : null, SELF.is(user));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot read the peer credentials of {}: {}", channel, e.toString());
        }
        return PeerCredentials.NONE;
    }
}
