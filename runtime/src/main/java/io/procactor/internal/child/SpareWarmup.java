package io.procactor.internal.child;

import io.procactor.Actor;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.internal.config.Settings;
import io.procactor.internal.core.ProcessCore;
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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A spare child JVM's head start, and the training run of the child that writes the class-data
 * archive ({@link #rehearseForArchive}). The node starts spares before it knows what they will host: a
 * spare's stdin carries a preamble ({@value #HEADER}, where to rehearse, {@code end}) and then the
 * spare's own {@link ChildBootstrap}, named with its spare label: with it the spare builds its
 * transport, listens for peers and connects to its node ({@code SpareLink}), all before it has a
 * process. It then runs the first-time work of those pieces ({@code SpareLink.warmUp}) and
 * rehearses what its start will do (a transport of the same kind with a connection to itself and
 * the control messages both ways; a {@code ChildRuntime} given an actor as the node gives one,
 * asked and stopped), so classes are loaded, linked and initialised, the native library is mapped
 * and the JIT has compiled some of it; then it prints {@value #WARM_LINE} on stdout and waits for
 * the node to give it a process on its connection.
 *
 * <p>Runs on the child's main thread before anything else; stateless; thread-safe.
 */
public final class SpareWarmup {
    /** First line of a spare's stdin. */
    public static final String HEADER = "procactor-spare 2";
    /** The line a spare prints on stdout once warm: the node then counts it as started. */
    public static final String WARM_LINE = "procactor-spare-warm";
    private static final String REHEARSE_AT = "rehearse-at=";
    /**
     * Measured before spares connected ahead (SCHED_FIFO, 2 cores): hand-over to first reply 35 ms
     * after one rehearsal, 23 ms after 3, 27 ms after 10; 3 cost about 70 ms more CPU per spare,
     * in the background.
     */
    private static final int REHEARSALS = 3;
    /** How long one rehearsal of a spare may take: a spare that is slow to warm up is still a spare. */
    private static final Duration SPARE_REHEARSAL = Duration.ofSeconds(20);

    /** What the node told a spare: where it may rehearse, and its own bootstrap (named with its label). */
    record Preamble(Endpoint rehearseAt, ChildBootstrap bootstrap) {
    }

    private SpareWarmup() {
    }

    /**
     * The node's side: the preamble that makes a JVM a spare, which rehearses its start listening at
     * {@code rehearseAt} (in the node's socket directory, so nothing is left behind) and connects
     * with {@code spare}, its bootstrap.
     */
    public static void writePreamble(Writer w, Endpoint rehearseAt, ChildBootstrap spare) throws IOException {
        w.write(HEADER + "\n" + REHEARSE_AT + rehearseAt + "\nend\n");
        spare.writeTo(w); // flushes
    }

    /**
     * The preamble, if stdin starts with one; otherwise null, and stdin as it was.
     *
     * @throws java.io.EOFException when stdin ends within it: the node is gone
     */
    static Preamble readPreamble(BufferedReader stdin) throws IOException {
        stdin.mark(256);
        String first = stdin.readLine();
        if (!HEADER.equals(first)) {
            stdin.reset();
            return null;
        }
        Endpoint at = null;
        String line;
        while ((line = stdin.readLine()) != null && !line.equals("end")) {
            if (line.startsWith(REHEARSE_AT)) {
                at = Endpoint.parse(line.substring(REHEARSE_AT.length()));
            }
        }
        if (line == null) {
            throw new java.io.EOFException("stdin closed in a spare's preamble");
        }
        return new Preamble(at, ChildBootstrap.readFrom(stdin));
    }

    /**
     * Rehearses the start ({@value #REHEARSALS} times, fewer once {@code taken} says the spare has
     * a process), then says it is warm.
     */
    static void rehearse(Preamble p, java.util.function.BooleanSupplier taken) {
        try {
            Settings s = Settings.fromChildProperties(p.bootstrap().settings());
            openJars();
            for (int i = 0; i < REHEARSALS && !taken.getAsBoolean(); i++) {
                Deadline d = Deadline.in(SPARE_REHEARSAL);
                rehearseTransport(s, p.rehearseAt(), d);
                rehearseRuntime(p.bootstrap(), d);
            }
        } catch (Exception | LinkageError e) {
            // a rehearsal that fails costs the head start, nothing else: the real start reports real problems
            System.err.println("procactor spare: warm-up failed: " + e);
        }
        System.out.println(WARM_LINE);
        System.out.flush();
    }

    /**
     * The training run of the child that writes its class path's class-data archive (its bootstrap
     * says where: {@link ChildBootstrap#rehearseAt()}): one rehearsal, as a spare's, before its own
     * start. The archive holds the classes its writer loaded, so without it the archive depended on
     * what that first child happened to do: one that only started and stopped left out the classes
     * of a reply's way, an actor's left out a pool worker's, and every later child loaded those
     * from the jars (10-15 ms of a cold start for the first). Costs the writer, once per class
     * path, some 30-100 ms before its first reply (measured; the classes load once either way).
     * The node's start timeout runs meanwhile: the rehearsal gives up after a third of it, which
     * costs only what the archive then lacks.
     */
    static void rehearseForArchive(ChildBootstrap boot) {
        Settings settings = Settings.fromChildProperties(boot.settings());
        Deadline d = Deadline.in(settings.startTimeout().dividedBy(3));
        try {
            rehearseTransport(settings, boot.rehearseAt(), d);
        } catch (Exception | LinkageError e) {
            System.err.println("procactor child: rehearsal of the transport for the class-data archive failed: " + e);
        }
        try {
            rehearseRuntime(boot, d);
        } catch (Exception | LinkageError e) {
            // costs later children the classes it did not load, nothing else: the real start reports real problems
            System.err.println("procactor child: rehearsal of the runtime for the class-data archive failed: " + e);
        }
    }

    /** Where the waits of one rehearsal end. */
    private record Deadline(long nanos) {
        static Deadline in(Duration budget) {
            return new Deadline(System.nanoTime() + budget.toNanos());
        }

        /** What is left, at least a millisecond (a wait then times out at once). */
        long millisLeft() {
            return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos - System.nanoTime()));
        }
    }

    /** A transport like the real one, a handshake with itself, and the start's control messages each way. */
    private static void rehearseTransport(Settings settings, Endpoint at, Deadline d) throws Exception {
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
            try {
                Connection c = transport.connect(server.endpoint(), secret, new Echo(echoed::countDown))
                        .get(d.millisLeft(), TimeUnit.MILLISECONDS);
                script.forEach(c::send);
                c.ping();
                if (!echoed.await(d.millisLeft(), TimeUnit.MILLISECONDS)) {
                    throw new TimeoutException(echoed.getCount() + " of " + (script.size() + 1) + " echoes not back in time");
                }
                c.close();
            } finally {
                server.close(); // its socket file goes with it
            }
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

    /**
     * The runtime a process gets, on wires of its own: built, given the actor of the rehearsal as
     * the node gives one ({@code SpawnActor}), asked, given a pool's batch, told where another
     * process listens and of its end, stopped; and messages sent to the node as a reply would be,
     * and to a process not known yet. Nothing reaches the node: what the runtime sends it waits for
     * a connection that never comes. {@code spare} is the JVM's bootstrap: a spare's, or that of
     * the process whose JVM writes the archive.
     */
    private static void rehearseRuntime(ChildBootstrap spare, Deadline d) throws Exception {
        String name = "spare-rehearsal";
        ChildWires wires = new ChildWires(spare, name);
        ProcessCore core = null;
        try {
            ChildRuntime runtime = new ChildRuntime(spare, name, wires);
            core = runtime.core();
            runtime.onMessage(null, new Protocol.SpawnActor(name, Rehearsal.class.getName(), new ArrayList<>(List.of(1, "x"))));
            RefImpl actor = core.ref(name, name);
            // a pool's batch, as a pool worker gets one; where another process listens, and its end
            runtime.onMessage(null, new Protocol.Batch(1, new ArrayList<>(List.of(21, 21))));
            runtime.onMessage(null, new Protocol.PeerUp(name + "-peer", spare.listen().toString()));
            runtime.onMessage(null, new Protocol.ProcessDown(name + "-peer", 0, 0, ExitStatus.Reason.NORMAL.name(),
                    "rehearsal", List.of(), false));
            actor.ask(21, Duration.ofMillis(d.millisLeft())).get(d.millisLeft(), TimeUnit.MILLISECONDS); // after the batch ran
            // and messages to other processes: to the node, as a reply to its ask, and to a peer not known
            // yet (the node is asked where it is); they wait for the node's connection
            core.ref(Protocol.NODE, name).tell(21);
            core.ref(name + "-unknown", name).tell(21);
            core.stopAllActors();
            core.awaitNoActors(Duration.ofMillis(Math.min(2_000, d.millisLeft())));
        } finally {
            if (core != null) {
                core.shutdown("warm-up over");
            } else {
                wires.executors.shutdown().run(); // the core that would have stopped them was not made
            }
            wires.transport.close();
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
}
