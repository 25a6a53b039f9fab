package io.procactor.internal.node;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import io.procactor.internal.config.Settings;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's local admin endpoint, read by {@code procactor ps}: a Unix domain socket at
 * {@code <dir>/<pid>-<n>.sock} ({@code n} counts the systems of this JVM), in a directory of mode
 * 0700, the socket itself 0600, so only the same OS user can connect; where the OS tells the
 * peer's user (SO_PEERCRED), connections of another user are refused too.
 *
 * <p>Line protocol: the client sends {@code status\n}; the node answers with one JSON document
 * and closes the connection. Unknown commands get {@code {"error": "..."}}. One daemon thread
 * serves every connection (non-blocking), so a slow client cannot hold a thread. Thread-safe.
 */
public final class AdminEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminEndpoint.class);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final int MAX_REQUEST = 1024;
    private static final long CLIENT_TIMEOUT_MILLIS = 5000;
    /** Version of the JSON document; bumped when a field changes meaning. */
    static final int PROTOCOL = 1;

    private final Path socket;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Supplier<Map<String, Object>> status;
    private final UserPrincipal owner;
    private final Thread thread;
    private volatile boolean open = true;

    /** One client: what it sent so far, then what is left to write. */
    private static final class Client {
        final ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST);
        final long deadline = System.currentTimeMillis() + CLIENT_TIMEOUT_MILLIS;
        ByteBuffer out;
    }

    private AdminEndpoint(Path socket, ServerSocketChannel server, Selector selector, UserPrincipal owner,
                          String systemName, Supplier<Map<String, Object>> status) {
        this.socket = socket;
        this.server = server;
        this.selector = selector;
        this.owner = owner;
        this.status = status;
        this.thread = new Thread(this::serve, "procactor-admin-" + systemName);
        thread.setDaemon(true);
    }

    /** Opens the endpoint of a node, or returns null (after a warning) when it cannot: the node works without it. */
    static AdminEndpoint open(Path configuredDir, String systemName, Supplier<Map<String, Object>> status) {
        Path dir = configuredDir != null ? configuredDir : Settings.defaultAdminDir();
        Path socket = dir.resolve(ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".sock");
        ServerSocketChannel server = null;
        try {
            UserPrincipal owner = privateDirectory(dir, configuredDir == null);
            Files.deleteIfExists(socket); // left behind by an earlier JVM that had this pid
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            server.configureBlocking(false);
            Selector selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            AdminEndpoint endpoint = new AdminEndpoint(socket, server, selector, owner, systemName, status);
            endpoint.thread.start();
            log.debug("Admin endpoint of system [{}] at {}", systemName, socket);
            return endpoint;
        } catch (IOException | RuntimeException e) {
            log.warn("No admin endpoint for system [{}] ({}): `procactor ps` will not list this node; "
                    + "set procactor.admin.dir to a private directory, or procactor.admin.enabled = off", systemName, e.toString());
            if (server != null) {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
            return null;
        }
    }

    /**
     * Creates {@code dir} (mode 0700) or checks that the existing one is a real directory of this
     * user that nobody else can enter ({@link PrivateFiles}); with {@code parentToo}, the same for its parent.
     */
    private static UserPrincipal privateDirectory(Path dir, boolean parentToo) throws IOException {
        String fix = "Remove it, or set procactor.admin.dir to a directory only you can use, or procactor.admin.enabled = off";
        if (parentToo) {
            PrivateFiles.directory(dir.getParent(), fix);
        }
        PrivateFiles.directory(dir, fix);
        return PrivateFiles.currentUser();
    }

    Path socket() {
        return socket;
    }

    private void serve() {
        long nextDeadline = 0; // of the connected clients; 0 = none, so sleep until one connects (close() wakes us)
        while (open) {
            try {
                selector.select(nextDeadline == 0 ? 0 : Math.max(1, nextDeadline - System.currentTimeMillis()));
                if (!open) {
                    break;
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    try {
                        handle(key);
                    } catch (IOException | RuntimeException e) {
                        log.debug("Admin connection failed: {}", e.toString());
                        closeQuietly(key);
                    }
                }
                long now = System.currentTimeMillis();
                nextDeadline = 0;
                for (SelectionKey key : selector.keys()) {
                    if (key.attachment() instanceof Client c) {
                        if (now > c.deadline) {
                            closeQuietly(key);
                        } else if (nextDeadline == 0 || c.deadline < nextDeadline) {
                            nextDeadline = c.deadline;
                        }
                    }
                }
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                if (open) {
                    log.warn("Admin endpoint {} stopped: {}", socket, e.toString());
                }
                return;
            }
        }
    }

    private void handle(SelectionKey key) throws IOException {
        if (key.isAcceptable()) {
            SocketChannel ch = server.accept();
            if (ch == null) {
                return;
            }
            if (!sameUser(ch)) {
                ch.close();
                return;
            }
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, new Client());
            return;
        }
        SocketChannel ch = (SocketChannel) key.channel();
        Client c = (Client) key.attachment();
        if (key.isReadable()) {
            int n = ch.read(c.in);
            String line = line(c.in);
            if (line == null && n >= 0 && c.in.hasRemaining()) {
                return; // more to come
            }
            String reply = line == null ? error("send one command per line, e.g. status") : respond(line);
            c.out = ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8));
            key.interestOps(SelectionKey.OP_WRITE);
        }
        if (key.isValid() && key.isWritable()) {
            ch.write(c.out);
            if (!c.out.hasRemaining()) {
                closeQuietly(key);
            }
        }
    }

    private boolean sameUser(SocketChannel ch) {
        try {
            jdk.net.UnixDomainPrincipal peer = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
            if (!peer.user().equals(owner)) {
                log.warn("Refused an admin connection from user [{}]", peer.user().getName());
                return false;
            }
        } catch (UnsupportedOperationException | IOException e) {
            // the OS does not tell: the directory and socket permissions are the guard
        }
        return true;
    }

    /** The first line in {@code in}, or null when no newline arrived yet. */
    private static String line(ByteBuffer in) {
        for (int i = 0; i < in.position(); i++) {
            if (in.get(i) == '\n') {
                return new String(in.array(), 0, i, StandardCharsets.UTF_8).trim();
            }
        }
        return null;
    }

    private String respond(String command) {
        if (!command.equals("status")) {
            return error("unknown command [" + command + "]; known: status");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", PROTOCOL);
        m.putAll(status.get());
        return json(m);
    }

    private static String error(String message) {
        return json(Map.of("protocol", PROTOCOL, "error", message));
    }

    static String json(Map<String, ?> m) {
        return ConfigValueFactory.fromAnyRef(m).render(ConfigRenderOptions.concise());
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Stops serving, closes the socket and deletes its file. */
    @Override
    public void close() {
        open = false;
        try {
            selector.wakeup();
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            for (SelectionKey k : selector.keys()) {
                closeQuietly(k);
            }
            selector.close();
            server.close();
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            log.debug("Closing admin endpoint {}: {}", socket, e.toString());
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.debug("Could not delete {}: {}", socket, e.toString());
        }
    }
}
