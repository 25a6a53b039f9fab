package io.procactor.cluster.internal;

import io.procactor.ActorException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.util.ServiceUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper's standalone server inside this JVM ({@code procactor.cluster.mode = embedded}): a
 * {@link ZooKeeperServer} behind NIO sockets on {@code bind:port}, its data in a private (0700)
 * temporary directory deleted at {@link #close()}. Not {@code ZooKeeperServerMain}, which starts an
 * admin web server and exits the JVM on errors: ZooKeeper's exit procedure is set to log only
 * ({@link ServiceUtils#setSystemExitProcedure}, a JVM-wide setting: a node must never be exited by
 * its coordination engine). The tick is a tenth of the session timeout, so that the session
 * timeout asked for lies within what the server grants (2 to 20 ticks).
 *
 * <p>Thread-safe: started by its constructor, closed once by {@link #close()}.
 */
final class EmbeddedZooKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

    private final Path dataDir;
    private final ZooKeeperServer server;
    private final ServerCnxnFactory connections;
    private final String connectString;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    EmbeddedZooKeeper(String bind, int port, Duration sessionTimeout) {
        ServiceUtils.setSystemExitProcedure(ServiceUtils.LOG_ONLY);
        int tick = (int) Math.max(10, Math.min(2000, sessionTimeout.toMillis() / 10));
        Path dir = null;
        ZooKeeperServer zk = null;
        ServerCnxnFactory factory = null;
        try {
            dir = Files.createTempDirectory("procactor-zk-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            zk = new ZooKeeperServer(dir.toFile(), dir.toFile(), tick);
            zk.setMinSessionTimeout(2 * tick);
            zk.setMaxSessionTimeout(20 * tick);
            factory = ServerCnxnFactory.createFactory(new InetSocketAddress(bind, port), 1000);
            factory.startup(zk);
        } catch (IOException | RuntimeException e) {
            stop(factory, zk, dir);
            throw new ActorException("cannot start the embedded ZooKeeper server on " + bind + ":" + port + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); procactor.cluster.embedded.port "
                    + "may be taken by another node: choose another, or 0 for any free port", e);
        } catch (InterruptedException e) {
            stop(factory, zk, dir);
            Thread.currentThread().interrupt();
            throw new ActorException("interrupted while starting the embedded ZooKeeper server", e);
        }
        this.dataDir = dir;
        this.server = zk;
        this.connections = factory;
        this.connectString = hostForClients(bind) + ":" + factory.getLocalPort();
        log.info("Embedded ZooKeeper listening on {} (tick {} ms); other nodes join with procactor.cluster.mode = "
                + "zookeeper, url = \"zookeeper://{}/procactor\"", connectString, tick, connectString);
    }

    /** Clients reach a server bound to every address through the loopback. */
    private static String hostForClients(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    }

    String connectString() {
        return connectString;
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stop(connections, server, dataDir);
        }
    }

    private static void stop(ServerCnxnFactory factory, ZooKeeperServer zk, Path dir) {
        if (factory != null) {
            factory.shutdown(); // also shuts the server down
        }
        if (zk != null) {
            zk.shutdown();
            try {
                zk.getTxnLogFactory().close();
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the embedded ZooKeeper's transaction log: {}", e.toString());
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                log.warn("Could not delete the embedded ZooKeeper's data directory {}: {}", dir, e.toString());
            }
        }
    }
}
