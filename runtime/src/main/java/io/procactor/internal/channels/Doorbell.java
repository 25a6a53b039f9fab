package io.procactor.internal.channels;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a process wakes a thread of another process that sleeps on a ring (the kernel's wake-up, as
 * Python's queues get from their semaphores), without native code: every process that has a
 * sleeper listens on a Unix socket {@code bell-<pid>} in the system's segment directory (private
 * to the user, removed with the system), and a process that published what a sleeper waits for
 * writes one byte to it. A byte carries nothing: a stranger could at most wake our sleepers, and
 * the directory is the user's own.
 *
 * <p>There is no listening thread: one of the sleeping threads (the leader) sleeps in the
 * selector over the bell sockets, the others park. A bell wakes the leader directly, one wake-up
 * as in Python, not two; the leader then unparks the others (the bell may be for one of them) and
 * gives up leading, and the next to sleep leads. Bytes sent while nobody sleeps wait in the socket.
 *
 * <p>Whatever goes wrong here (a path too long for a socket, a peer gone) only costs latency:
 * sleepers also wake on their own every {@link Idle#BELL_BACKSTOP_MILLIS} ms.
 *
 * <p>Thread-safe.
 */
final class Doorbell {
    private static final Logger log = LoggerFactory.getLogger(Doorbell.class);
    private static final long PID = ProcessHandle.current().pid();
    private static final Set<Thread> SLEEPERS = ConcurrentHashMap.newKeySet();
    /** Per directory: the server channel, or {@link #NONE} when it could not listen there. */
    private static final Map<Path, Object> LISTENING = new ConcurrentHashMap<>();
    private static final Object NONE = new Object();
    private static final Map<Path, SocketChannel> BELLS = new ConcurrentHashMap<>();
    private static final AtomicReference<Thread> LEADER = new AtomicReference<>();
    /** Rings this JVM got (from itself, or bytes read from a bell): a leader that saw one passes its wake-up on. */
    private static final AtomicLong RINGS = new AtomicLong();
    private static final ByteBuffer DRAIN = ByteBuffer.allocate(256); // used by the leader only
    private static volatile Selector selector;

    private Doorbell() {
    }

    /** This process's bell in {@code dir}. */
    static Path bellOf(Path dir, long pid) {
        return dir.resolve("bell-" + pid);
    }

    static long pid() {
        return PID;
    }

    /**
     * Makes sure this process listens for bells in {@code dir}, so a sleeper there can be woken;
     * false when it cannot (the sleeper then only wakes on its own).
     */
    static boolean listen(Path dir) {
        Object l = LISTENING.get(dir);
        if (l == null) {
            synchronized (Doorbell.class) {
                forgetRemovedDirectories();
                l = LISTENING.computeIfAbsent(dir, Doorbell::bind);
            }
        }
        return l != NONE;
    }

    /**
     * Stops listening in directories whose system closed (removing them), and drops the
     * connections to bells there, so a long-lived process keeps no socket per system it saw.
     */
    private static void forgetRemovedDirectories() {
        BELLS.entrySet().removeIf(e -> {
            if (Files.isDirectory(e.getKey().getParent())) {
                return false;
            }
            try {
                e.getValue().close();
            } catch (IOException ignored) {
                // gone with its directory
            }
            return true;
        });
        LISTENING.entrySet().removeIf(e -> {
            if (Files.isDirectory(e.getKey())) {
                return false;
            }
            if (e.getValue() instanceof ServerSocketChannel s) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // gone with its directory
                }
            }
            return true;
        });
    }

    private static Object bind(Path dir) {
        Path bell = bellOf(dir, PID);
        try {
            Files.deleteIfExists(bell); // a pid reused after a crash: the old socket file is dead
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(bell));
            server.configureBlocking(false);
            if (selector == null) {
                selector = Selector.open();
            }
            server.register(selector, SelectionKey.OP_ACCEPT); // does not wait for a select in progress
            return server;
        } catch (IOException | RuntimeException e) {
            log.debug("No doorbell in {} ({}): ring sleepers here wake on their own only", dir, e.toString());
            return NONE;
        }
    }

    /**
     * Sleeps the calling thread (one in {@link #sleeping}) for at most {@code nanos}, or until a
     * bell or an unpark wakes it.
     */
    static void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        Selector s = selector;
        Thread me = Thread.currentThread();
        if (s == null || !LEADER.compareAndSet(null, me)) {
            LockSupport.parkNanos(nanos);
            return;
        }
        long rings = RINGS.get();
        try {
            s.select(Math.max(1, (nanos + 999_999) / 1_000_000)); // 0 would be forever
            for (SelectionKey key : s.selectedKeys()) {
                answer(key);
            }
            s.selectedKeys().clear();
        } catch (IOException | RuntimeException e) {
            log.debug("Doorbell select: {}", e.toString());
            LockSupport.parkNanos(nanos); // never a busy loop
        } finally {
            LEADER.set(null);
            // The bell may have been for another sleeper, who may be about to lead (past its look at its
            // ring, before its compare-and-set): a ring seen while leading passes a wake-up on, which ends
            // that next select at once (the unpark alone would not). Without one, no wake-up: a lone
            // sleeper's next select would end at once, and so on (a busy loop); a stale one costs one turn.
            wake(RINGS.get() != rings);
        }
    }

    private static void answer(SelectionKey key) throws IOException {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            SocketChannel peer = ((ServerSocketChannel) key.channel()).accept();
            if (peer != null) {
                peer.configureBlocking(false);
                peer.register(key.selector(), SelectionKey.OP_READ);
            }
        } else if (key.isReadable()) {
            SocketChannel peer = (SocketChannel) key.channel();
            int n;
            try {
                do {
                    DRAIN.clear();
                    n = peer.read(DRAIN);
                    if (n > 0) {
                        RINGS.incrementAndGet();
                    }
                } while (n > 0);
            } catch (IOException e) {
                n = -1;
            }
            if (n < 0) {
                key.cancel();
                peer.close();
            }
        }
    }

    /** Called by a thread about to sleep on a ring: the listener unparks it when a bell comes. */
    static void sleeping(Thread t) {
        SLEEPERS.add(t);
    }

    static void awake(Thread t) {
        SLEEPERS.remove(t);
    }

    /** Wakes every thread of this process that sleeps on a ring (a ring from this process): the parked ones and the one in the selector. */
    static void wakeSleepers() {
        RINGS.incrementAndGet();
        wake(true);
    }

    /**
     * Unparks the sleepers and wakes the selector: always for a ring ({@code evenWithoutLeader}),
     * since a thread unparked here may become the leader just after (its unpark does not end a
     * select) and a wake-up given first ends the next select at once; only while a leader selects
     * when the leader leaves, or a lone sleeper's every select would end at once (a busy loop).
     */
    private static void wake(boolean evenWithoutLeader) {
        for (Thread t : SLEEPERS) {
            if (t != LEADER.get()) {
                LockSupport.unpark(t);
            }
        }
        Selector s = selector;
        if (s != null && (evenWithoutLeader || LEADER.get() != null)) {
            s.wakeup();
        }
    }

    /**
     * Rings the bell of process {@code pid} in {@code dir}: one byte, never waiting. False when that
     * process has no bell there (it is gone, or never listened): its slot should be freed.
     */
    static boolean ring(Path dir, long pid) {
        if (pid == PID) {
            wakeSleepers();
            return true;
        }
        return ringOverSocket(dir, pid);
    }

    /** {@link #ring}, through the socket even for this process. */
    static boolean ringOverSocket(Path dir, long pid) {
        return ringOverSocket(dir, pid, true);
    }

    private static boolean ringOverSocket(Path dir, long pid, boolean retry) {
        Path bell = bellOf(dir, pid);
        SocketChannel ch = BELLS.get(bell);
        try {
            if (ch == null) {
                ch = SocketChannel.open(UnixDomainSocketAddress.of(bell));
                ch.configureBlocking(false);
                SocketChannel raced = BELLS.putIfAbsent(bell, ch);
                if (raced != null) {
                    ch.close();
                    ch = raced;
                }
            }
            ch.write(ByteBuffer.wrap(ONE)); // 0 written: the peer has unread bytes, so it wakes anyway
            return true;
        } catch (ClosedChannelException e) {
            BELLS.remove(bell, ch);
            return !retry || ringOverSocket(dir, pid, false); // another thread closed it just now: connect again, once
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                BELLS.remove(bell, ch);
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already broken
                }
            }
            return false;
        }
    }

    private static final byte[] ONE = {1};
}
