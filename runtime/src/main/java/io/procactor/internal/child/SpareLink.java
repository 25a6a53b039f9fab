package io.procactor.internal.child;

import io.procactor.ExitStatus;
import io.procactor.internal.wire.ChildBootstrap;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Inbound;
import io.procactor.transport.Server;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A spare child JVM's link to its node before it has a process: its transport, its peer listener
 * and its control connection, all built and handshaked while the spare is idle, under its spare
 * label and with the one-time secret of its own bootstrap (so the node admits it exactly as it
 * admits a launched child). The node gives it a process with one {@link Protocol.Adopt} on that
 * connection; the process's runtime ({@link ChildRuntime}: its core, named after the process) is
 * built then, on the I/O thread, before the next message (the process's {@code SpawnActor}) is
 * read. From then on every message of the connection goes to that runtime.
 *
 * <p>Threads: {@link #open} and {@link #adopted} on the child's main thread; the {@code Inbound}
 * callbacks on the connection's I/O thread; {@link #parentLost} on the stdin watcher. The runtime
 * is published through a volatile field, written once. Thread-safe.
 */
final class SpareLink implements Inbound {
    private static final int KEEP_WARM_SECONDS = 30;
    /**
     * Rounds of the control messages through the warm-up connection: enough for the JIT to compile
     * the path of a message through the transport (C1 compiles a method after about 200 calls).
     */
    private static final int ECHO_ROUNDS = 300;
    private final ChildBootstrap boot;
    private final ChildWires wires;
    private final Server listener;
    private final CompletableFuture<ChildRuntime> adopted = new CompletableFuture<>();
    private volatile ChildRuntime runtime;
    private volatile java.util.concurrent.Future<?> keepWarm;

    private SpareLink(ChildBootstrap boot) {
        this.boot = boot;
        this.wires = new ChildWires(boot, boot.name());
        // peers connect only after the node announced this process, i.e. after it was adopted
        this.listener = wires.transport.bind(boot.listen(), boot.peerCredentials(), c -> {
            ChildRuntime rt = runtime;
            return rt != null ? rt.peerInbound() : NOT_YET;
        });
    }

    /** Builds the transport, listens for peers and connects to the node under the spare's label; blocks until admitted. */
    static SpareLink open(ChildBootstrap spareBootstrap) throws Exception {
        SpareLink link = new SpareLink(spareBootstrap);
        link.wires.transport.connect(spareBootstrap.node(), spareBootstrap.credentials(), link)
                .get(link.wires.settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return link;
    }

    /**
     * Runs, while idle, the first-time work of this link's own threads, which would otherwise fall
     * on the hand-over: each thread's Kryo instance (built from the whole registration table on the
     * first message it encodes or decodes) and its Netty caches. The I/O threads: connections of
     * this transport to itself at {@code at}, with the control messages both ways; the dispatcher
     * threads: one task each. Repeated every {@value #KEEP_WARM_SECONDS} s, since an idle dispatcher
     * thread ends after a minute and its successor would start cold.
     */
    void warmUp(Endpoint at) throws Exception {
        warmDispatchers();
        Credentials secret = Credentials.random();
        java.util.List<Object> script = java.util.List.of(new Protocol.Adopt("spare"), new Protocol.ChildReady(at.toString()),
                new Protocol.SpawnActor("spare", SpareWarmup.Rehearsal.class.getName(), new java.util.ArrayList<>(
                        java.util.List.of(1, "x"))), new Protocol.ActorStarted("spare"), 21);
        Server server = wires.transport.bind(at, secret, c -> new Echo(null));
        try {
            int configured = wires.transport.settings().ioThreads();
            int loops = configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
            for (int i = 0; i < loops; i++) { // connections are spread over the event loops
                java.util.concurrent.Semaphore echoed = new java.util.concurrent.Semaphore(0);
                Connection c = wires.transport.connect(server.endpoint(), secret, new Echo(echoed::release)).get(10, TimeUnit.SECONDS);
                // one at a time: each message is a read and a write of its own on both sides, as in a hand-over
                int rounds = i == 0 ? ECHO_ROUNDS : 10; // compiled by then: the other loops need only their first messages
                for (int r = 0; r < rounds && runtime == null; r++) { // adopted: its process needs the cores
                    c.send(script.get(r % script.size()));
                    if (!echoed.tryAcquire(10, TimeUnit.SECONDS)) {
                        break;
                    }
                }
                c.close();
            }
        } finally {
            server.close();
        }
        keepWarm = wires.executors.scheduler().scheduleAtFixedRate(this::warmDispatchers, KEEP_WARM_SECONDS,
                KEEP_WARM_SECONDS, TimeUnit.SECONDS);
        if (runtime != null) { // adopted meanwhile
            keepWarm.cancel(false);
        }
    }

    // every dispatcher thread at once (each task waits for the others), each building its Kryo
    private void warmDispatchers() {
        if (runtime != null) {
            return; // adopted: its threads are at work
        }
        int n = wires.settings.effectiveDispatcherThreads();
        java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            wires.executors.dispatcher().execute(() -> {
                wires.transport.requireEncodable(new Protocol.ActorStarted("spare"));
                all.countDown();
                try {
                    all.await(100, TimeUnit.MILLISECONDS); // together, so that each thread gets one
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Completes with the runtime of the process this spare was given. */
    CompletableFuture<ChildRuntime> adopted() {
        return adopted;
    }

    /** The node is gone (stdin closed): halt now. */
    void parentLost(String why) {
        ChildRuntime rt = runtime;
        if (rt != null) {
            rt.parentLost(why);
        } else {
            Runtime.getRuntime().halt(ExitStatus.PARENT_LOST_CODE); // an idle spare has nothing to say
        }
    }

    @Override
    public void onMessage(Connection connection, Object message) {
        ChildRuntime rt = runtime;
        if (rt != null) {
            rt.onMessage(connection, message);
        } else if (message instanceof Protocol.Adopt a) {
            adopt(a.name(), connection);
        } else {
            LoggerFactory.getLogger(SpareLink.class).warn("Unexpected message to an idle spare: {}", message.getClass().getName());
        }
    }

    // on the I/O thread: the process's SpawnActor, next on this connection, finds its runtime built
    private void adopt(String name, Connection connection) {
        try {
            io.procactor.internal.core.ProcessIdentity.child(name, boot.parentPid());
            ChildRuntime rt = new ChildRuntime(boot, name, wires);
            runtime = rt;
            java.util.concurrent.Future<?> warming = keepWarm;
            if (warming != null) {
                warming.cancel(false);
            }
            rt.connected(connection, listener.endpoint());
            adopted.complete(rt);
        } catch (RuntimeException | LinkageError e) {
            adopted.completeExceptionally(e); // the main thread reports it and ends the JVM as failed to start
        }
    }

    @Override
    public void onReadComplete(Connection connection) {
        ChildRuntime rt = runtime;
        if (rt != null) {
            rt.onReadComplete(connection);
        }
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        parentLost("control connection closed" + (cause == null ? "" : ": " + cause));
    }

    /** A peer before this spare has a process: no peer knows it yet, so none should talk. */
    private static final Inbound NOT_YET = new Inbound() {
        @Override
        public void onMessage(Connection connection, Object message) {
            LoggerFactory.getLogger(SpareLink.class).warn("Message from peer {} to an idle spare, dropped: {}",
                    connection.peer(), message.getClass().getName());
        }

        @Override
        public void onClosed(Connection connection, Throwable cause) {
            // nothing was set up for it
        }
    };
}
