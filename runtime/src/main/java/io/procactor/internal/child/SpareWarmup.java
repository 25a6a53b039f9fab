package io.procactor.internal.child;

import io.procactor.Actor;
import io.procactor.Props;
import io.procactor.internal.config.Settings;
import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.core.ProcessDirectory;
import io.procactor.internal.core.ProcessHost;
import io.procactor.internal.core.RuntimeExecutors;
import io.procactor.internal.wire.ChildBootstrap;
import java.time.Duration;
import io.procactor.internal.core.AskRef;
import io.procactor.internal.core.RefCodec;
import io.procactor.internal.core.RefImpl;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Inbound;
import io.procactor.transport.Registrations;
import io.procactor.transport.Server;
import io.procactor.transport.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A spare child JVM's head start. The node starts spares before it knows what they will host: a
 * spare's stdin first carries a preamble ({@value #HEADER}, the node's settings, {@code end}), and
 * its bootstrap only when the node gives it a process. Meanwhile the spare rehearses what its start
 * will do (a transport of the same kind, a listener, a connection to itself with a handshake, the
 * control messages both ways; a bootstrap read back; a core with an actor that is asked), so classes are loaded, linked and initialised and the native
 * library is mapped; then it prints {@value #WARM_LINE} on stdout and waits. What is left after the
 * bootstrap arrives takes a few milliseconds.
 *
 * <p>Runs on the child's main thread before anything else; stateless; thread-safe.
 */
public final class SpareWarmup {
    /** First line of a spare's stdin. */
    public static final String HEADER = "procactor-spare 1";
    /** The line a spare prints on stdout once warm: the node then counts it as started. */
    public static final String WARM_LINE = "procactor-spare-warm";
    private static final String SETTING = "setting.";
    private static final String REHEARSE_AT = "rehearse-at=";
    /**
     * Measured (SCHED_FIFO, 2 cores): hand-over to first reply 35 ms after one rehearsal, 23 ms
     * after 3 (the JIT has compiled more of the start's code), 27 ms after 10; 3 cost about 70 ms
     * more CPU per spare, in the background.
     */
    private static final int REHEARSALS = 3;

    private SpareWarmup() {
    }

    /**
     * The node's side: the preamble that makes a JVM a spare, which rehearses its start listening at
     * {@code rehearseAt} (in the node's socket directory, so nothing is left behind).
     */
    public static void writePreamble(Writer w, Endpoint rehearseAt, Map<String, String> settings) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n').append(REHEARSE_AT).append(rehearseAt).append('\n');
        settings.forEach((k, v) -> b.append(SETTING).append(k).append('=').append(v).append('\n'));
        w.write(b.append("end\n").toString());
        w.flush();
    }

    /**
     * If stdin starts with a spare's preamble: warm up, say so, and return once the bootstrap that
     * follows can be read (its first byte arrived). Otherwise leave stdin as it was.
     *
     * @return false when stdin closed while the spare waited: the node is gone
     */
    static boolean runIfSpare(BufferedReader stdin) throws IOException {
        stdin.mark(256);
        String first = stdin.readLine();
        if (!HEADER.equals(first)) {
            stdin.reset();
            return true;
        }
        Map<String, String> settings = new HashMap<>();
        Endpoint at = null;
        String line;
        while ((line = stdin.readLine()) != null && !line.equals("end")) {
            int eq = line.indexOf('=');
            if (line.startsWith(SETTING) && eq > 0) {
                settings.put(line.substring(SETTING.length(), eq), line.substring(eq + 1));
            } else if (line.startsWith(REHEARSE_AT)) {
                at = Endpoint.parse(line.substring(REHEARSE_AT.length()));
            }
        }
        if (line == null) {
            return false;
        }
        java.util.concurrent.atomic.AtomicBoolean rehearsing = new java.util.concurrent.atomic.AtomicBoolean(true);
        watchNode(rehearsing);
        try {
            if (!stdin.ready()) { // taken while it started: its bootstrap is here already, so no rehearsal
                Settings s = Settings.fromChildProperties(settings);
                openJars();
                for (int i = 0; i < REHEARSALS; i++) {
                    rehearseTransport(s, at);
                    rehearseCore(s, settings);
                }
            }
        } catch (Exception | LinkageError e) {
            // a rehearsal that fails costs the head start, nothing else: the real start reports real problems
            System.err.println("procactor spare: warm-up failed: " + e);
        } finally {
            rehearsing.set(false);
        }
        System.out.println(WARM_LINE);
        System.out.flush();
        stdin.mark(1);
        if (stdin.read() < 0) {
            return false;
        }
        stdin.reset();
        return true;
    }

    /**
     * While it rehearses, a spare does not read stdin, so it would not see its node die: a thread
     * looks at the node every 100 ms meanwhile and halts the JVM if it is gone. Afterwards stdin
     * (read while idle, then {@code ChildMain}'s watcher) tells.
     */
    private static void watchNode(java.util.concurrent.atomic.AtomicBoolean rehearsing) {
        ProcessHandle node = ProcessHandle.current().parent().orElse(null);
        Thread t = new Thread(() -> {
            while (rehearsing.get()) {
                if (node == null || !node.isAlive()) {
                    Runtime.getRuntime().halt(io.procactor.ExitStatus.PARENT_LOST_CODE);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "procactor-spare-watch");
        t.setDaemon(true);
        t.start();
    }

    /** A transport like the real one, a handshake with itself, and the start's control messages each way. */
    private static void rehearseTransport(Settings settings, Endpoint at) throws Exception {
        RefCodec refCodec = new RefCodec();
        Registrations registrations = Protocol.register(Registrations.builder(), RefImpl.class, refCodec, AskRef.class,
                refCodec.asks).build();
        Transport transport = Transport.create(settings.transport(), "spare", registrations);
        try {
            Credentials secret = Credentials.random();
            List<Object> script = List.of(new Protocol.ChildReady(at.toString()), new Protocol.SpawnActor("spare",
                    Rehearsal.class.getName(), new ArrayList<>(List.of(1, "x"))), new Protocol.ActorStarted("spare"));
            CountDownLatch echoed = new CountDownLatch(script.size() + 1); // + the heartbeat's PONG
            Server server = transport.bind(at, secret, c -> new Echo(null));
            Connection c = transport.connect(server.endpoint(), secret, new Echo(echoed)).get(10, TimeUnit.SECONDS);
            script.forEach(c::send);
            c.ping();
            echoed.await(10, TimeUnit.SECONDS);
            c.close();
            server.close();
        } finally {
            transport.close();
        }
    }

    /** Opens every jar of the class path: the actor's class will come from one of them. */
    private static void openJars() throws IOException {
        var manifests = ClassLoader.getSystemClassLoader().getResources("META-INF/MANIFEST.MF");
        while (manifests.hasMoreElements()) {
            manifests.nextElement();
        }
    }

    /** A bootstrap read back, and a core with an actor that is asked once, then stopped. */
    private static void rehearseCore(Settings settings, Map<String, String> text) throws Exception {
        java.io.StringWriter w = new java.io.StringWriter();
        new ChildBootstrap("spare", "spare", Endpoint.loopback(1), Endpoint.loopback(2), Credentials.random(),
                Credentials.random(), 1, text).writeTo(w);
        ChildBootstrap.readFrom(new BufferedReader(new java.io.StringReader(w.toString())));
        ProcessCore core = new ProcessCore("spare", "spare", ProcessHandle.current().pid(), settings,
                () -> Registrations.builder().build(), RuntimeExecutors.system("spare", 1), QUIET, c -> NOWHERE);
        try {
            RefImpl actor = core.spawn(Props.create(Rehearsal.class, 1, "x"), "spare");
            actor.ask(21, Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
            core.stopAllActors();
            core.awaitNoActors(Duration.ofSeconds(2));
        } finally {
            core.shutdown("warm-up over");
        }
    }

    /** The actor of the rehearsal: takes the arguments a SpawnActor carries, answers what it is asked. */
    public static final class Rehearsal extends Actor {
        public Rehearsal(Integer n, String s) {
            // arguments only to take the path a real actor's constructor takes
        }

        @Override
        protected void onReceive(Object message) {
            reply(message);
        }
    }

    private static final ProcessHost QUIET = new ProcessHost() {
        @Override
        public void actorStarted(String name) {
        }

        @Override
        public void actorStopped(String name, Protocol.Failure startFailure) {
        }

        @Override
        public void escalated(RefImpl actor, Throwable cause) {
        }
    };

    private static final ProcessDirectory NOWHERE = new ProcessDirectory() {
        @Override
        public Route route(String process) {
            return Unknown.INSTANCE;
        }

        @Override
        public java.util.Optional<io.procactor.ExitStatus> exitStatus(String process) {
            return java.util.Optional.empty();
        }
    };

    /** Sends back what it gets (the listener's side), or counts what comes back (the connecting side). */
    private record Echo(CountDownLatch received) implements Inbound {
        @Override
        public void onMessage(Connection connection, Object message) {
            if (received == null) {
                connection.send(message);
            } else {
                received.countDown();
            }
        }

        @Override
        public void onPong(Connection connection) {
            if (received != null) {
                received.countDown();
            }
        }

        @Override
        public void onClosed(Connection connection, Throwable cause) {
            // the rehearsal is over
        }
    }
}
