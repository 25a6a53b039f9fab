package io.procactor.transport;

import io.procactor.transport.internal.LogText;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who the kernel says is on the other end of a Unix domain socket ({@code SO_PEERCRED}): the
 * process that called {@code connect} (or {@code listen}), as it was at that moment. Unlike the
 * name and pid a peer states in its HELLO, nothing the peer sends can change these values.
 *
 * <p>What is known depends on the socket kind:
 * <ul>
 *   <li>{@link TransportKind#EPOLL}: pid, uid and gid (Netty's {@code peerCredentials()});</li>
 *   <li>{@link TransportKind#NIO_UNIX}: user and group as names (the JDK's
 *       {@code jdk.net.ExtendedSocketOptions.SO_PEERCRED} gives a {@code UnixDomainPrincipal}; it
 *       exposes neither the pid nor the numeric ids);</li>
 *   <li>{@link TransportKind#TCP}: nothing ({@link #NONE}).</li>
 * </ul>
 * {@link #sameUser()} is answered for both Unix kinds.
 *
 * <p>Immutable and thread-safe.
 */
public final class PeerCredentials {
    /** Nothing is known: a TCP connection, or the kernel could not be asked. */
    public static final PeerCredentials NONE = new PeerCredentials(-1, -1, -1, null, null, false);

    private final long pid;
    private final long uid;
    private final long gid;
    private final String user;
    private final String group;
    private final boolean sameUser;

    private PeerCredentials(long pid, long uid, long gid, String user, String group, boolean sameUser) {
        this.pid = pid;
        this.uid = uid;
        this.gid = gid;
        this.user = user;
        this.group = group;
        this.sameUser = sameUser;
    }

    /** Numeric credentials, as epoll reports them; {@code sameUser} compares {@code uid} with this process's. */
    public static PeerCredentials ofIds(long pid, long uid, long gid, boolean sameUser) {
        return new PeerCredentials(pid, uid, gid, null, null, sameUser);
    }

    /** Named credentials, as the JDK's NIO Unix domain sockets report them. */
    public static PeerCredentials ofNames(String user, String group, boolean sameUser) {
        return new PeerCredentials(-1, -1, -1, Objects.requireNonNull(user, "user"), group, sameUser);
    }

    /** The peer's process id, where the kernel reported it (epoll only). */
    public OptionalLong pid() {
        return pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
    }

    /** The peer's user id, where the kernel reported it (epoll only). */
    public OptionalLong uid() {
        return uid < 0 ? OptionalLong.empty() : OptionalLong.of(uid);
    }

    /** The peer's primary group id, where the kernel reported it (epoll only). */
    public OptionalLong gid() {
        return gid < 0 ? OptionalLong.empty() : OptionalLong.of(gid);
    }

    /** The peer's user name (NIO Unix only; a numeric id when the user has no name). */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The peer's group name (NIO Unix only). */
    public Optional<String> group() {
        return Optional.ofNullable(group);
    }

    /** Whether the kernel reported anything at all. */
    public boolean isKnown() {
        return this != NONE;
    }

    /**
     * Whether the kernel says the peer runs as the same user as this process. False when nothing
     * is known (TCP), so a check on it fails closed.
     */
    public boolean sameUser() {
        return sameUser;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerCredentials p && pid == p.pid && uid == p.uid && gid == p.gid
                && Objects.equals(user, p.user) && Objects.equals(group, p.group) && sameUser == p.sameUser;
    }

    @Override
    public int hashCode() {
        return Objects.hash(pid, uid, gid, user, group, sameUser);
    }

    @Override
    public String toString() {
        if (!isKnown()) {
            return "kernel: unknown";
        }
        StringBuilder b = new StringBuilder("kernel:");
        pid().ifPresent(p -> b.append(" pid ").append(p));
        uid().ifPresent(u -> b.append(" uid ").append(u));
        gid().ifPresent(g -> b.append(" gid ").append(g));
        if (user != null) {
            b.append(" user ").append(LogText.escape(user));
        }
        if (group != null) {
            b.append(" group ").append(LogText.escape(group));
        }
        return b.append(sameUser ? " (same user)" : " (another user)").toString();
    }
}
