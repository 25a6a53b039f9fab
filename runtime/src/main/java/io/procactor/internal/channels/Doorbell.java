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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a process wakes a thread of another process that sleeps on a ring (the kernel's wake-up, as
 * Python's queues get from their semaphores), without native code: every process that has a
 * sleeper listens on a Unix socket {@code bell-<pid>} in the system's segment directory (private
 * to the user, removed with the system), and a process that published what a sleeper waits for
 * writes one byte to it. The listening thread then unparks every thread of its process that
 * sleeps on any ring; each looks at its ring again. A byte carries nothing: a stranger could at
 * most wake our sleepers, and the directory is the user's own.
 *
 * <p>Whatever goes wrong here (a path too long for a socket, a peer gone) only costs latency:
 * sleepers also wake on their own every {@link Idle#BELL_BACKSTOP_MILLIS} ms.
 *
 * <p>Thread-safe. One listening thread per process, started by the first sleeper.
 */
final class Doorbell {
    private static final Logger log = LoggerFactory.getLogger(Doorbell.class);
    private static final long PID = ProcessHandle.current().pid();
    private static final Set<Thread> SLEEPERS = ConcurrentHashMap.newKeySet();
    /** Per directory: the server channel, or {@link #NONE} when it could not listen there. */
    private static final Map<Path, Object> LISTENING = new ConcurrentHashMap<>();
    private static final Object NONE = new Object();
    private static final Map<Path, SocketChannel> BELLS = new ConcurrentHashMap<>();
    private static final ConcurrentLinkedQueue<ServerSocketChannel> NEW = new ConcurrentLinkedQueue<>();
    private static Selector selector;

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

    /** Stops listening in directories whose system closed (removing them), so a long-lived process keeps no socket per system it saw. */
    private static void forgetRemovedDirectories() {
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
                Thread t = new Thread(Doorbell::serve, "procactor-doorbell");
                t.setDaemon(true);
                t.start();
            }
            NEW.add(server);
            selector.wakeup();
            return server;
        } catch (IOException | RuntimeException e) {
            log.debug("No doorbell in {} ({}): ring sleepers here wake on their own only", dir, e.toString());
            return NONE;
        }
    }

    /** The listening thread: accepts peers, reads their bytes, wakes this process's sleepers. */
    private static void serve() {
        ByteBuffer drain = ByteBuffer.allocate(256);
        while (true) {
            try {
                selector.select();
                for (ServerSocketChannel s; (s = NEW.poll()) != null; ) {
                    s.register(selector, SelectionKey.OP_ACCEPT);
                }
                boolean rung = false;
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel peer = ((ServerSocketChannel) key.channel()).accept();
                        if (peer != null) {
                            peer.configureBlocking(false);
                            peer.register(selector, SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        SocketChannel peer = (SocketChannel) key.channel();
                        int n;
                        try {
                            do {
                                drain.clear();
                                n = peer.read(drain);
                            } while (n > 0);
                        } catch (IOException e) {
                            n = -1;
                        }
                        if (n < 0) {
                            key.cancel();
                            peer.close();
                        }
                        rung = true;
                    }
                }
                selector.selectedKeys().clear();
                if (rung) {
                    wakeSleepers();
                }
            } catch (IOException | RuntimeException e) {
                log.debug("Doorbell listener: {}", e.toString());
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

    static void wakeSleepers() {
        for (Thread t : SLEEPERS) {
            LockSupport.unpark(t);
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
            return true; // another thread closed it just now: the next ring reconnects
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
