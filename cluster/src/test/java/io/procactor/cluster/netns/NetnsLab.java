package io.procactor.cluster.netns;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several "hosts" on one machine for tests: Linux network namespaces joined by a bridge that lives
 * in a namespace of its own, one veth pair per host, addresses on a private subnet that exists only
 * inside these namespaces. Nothing is attached to the root namespace (which may route off the
 * machine): participants run only inside a host namespace ({@link #start}), and the JVM running the
 * lab talks to them only through their stdin/stdout, never over the network.
 *
 * <p>Names are {@code pa-<pid>-<lab>-<role>}; {@link #sweepStale()} deletes those of dead pids, so a
 * killed test run leaves nothing behind for long. {@link #close()} kills the participants and deletes
 * every namespace; a shutdown hook does the same if the JVM exits first.
 *
 * <p>A cable pull ({@link #unplug}) sets the host's port on the bridge down: the host keeps its own
 * interface up and its packets go nowhere, as when a cable is pulled at a switch. A partition
 * ({@link #partition}) is subtler: drop rules inside the host's namespace cut it off from chosen
 * peers only, its link stays up (nftables where {@code nft} is installed, tc filters otherwise:
 * {@link Partitions}; {@link #partitionMethod()} says which).
 *
 * <p>Not thread-safe for setup (one test thread builds and closes it); {@link #close()} may also run
 * from the shutdown hook and is idempotent.
 */
public final class NetnsLab implements AutoCloseable {
    /** Prefix of every namespace this harness makes. */
    static final String PREFIX = "pa-";
    /** The host side of each veth pair, inside the host's namespace. */
    static final String HOST_INTERFACE = "pa0";
    private static final Pattern OURS = Pattern.compile("^" + PREFIX + "(\\d+)-.*");
    private static final String SUBNET = "10.77.0.";
    private static final java.util.concurrent.atomic.AtomicInteger LABS = new java.util.concurrent.atomic.AtomicInteger();

    private final String prefix;
    private final String bridgeNamespace;
    private final Path logDir;
    private final Map<String, NetnsHost> hosts = new LinkedHashMap<>();
    private final List<String> namespaces = new CopyOnWriteArrayList<>();
    private final List<Participant> participants = new CopyOnWriteArrayList<>();
    private final Partitions partitions = Partitions.detect();
    private final Thread shutdownHook;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private NetnsLab(Path logDir) {
        this.prefix = PREFIX + ProcessHandle.current().pid() + "-" + LABS.incrementAndGet() + "-";
        this.bridgeNamespace = prefix + "br";
        this.logDir = logDir;
        this.shutdownHook = new Thread(this::cleanUp, "netns-lab-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * A lab with its bridge namespace and one namespace per host name, after sweeping stale
     * namespaces of dead test runs. Participants' output goes to {@code logDir/<participant>.log}.
     *
     * @throws IllegalStateException when a namespace or link cannot be made (everything made so far is removed)
     */
    public static NetnsLab create(Path logDir, String... hostNames) {
        sweepStale();
        NetnsLab lab = new NetnsLab(logDir);
        try {
            lab.addNamespace(lab.bridgeNamespace);
            Ip.ip("-n", lab.bridgeNamespace, "link", "add", "br0", "type", "bridge");
            Ip.ip("-n", lab.bridgeNamespace, "link", "set", "br0", "up");
            for (String name : hostNames) {
                lab.addHost(name);
            }
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void addHost(String name) {
        if (!name.matches("[a-z0-9]{1,8}") || hosts.containsKey(name)) {
            throw new IllegalArgumentException("host name '" + name + "' must be 1 to 8 lower-case letters or digits, "
                    + "unique in the lab (it becomes part of a namespace and an interface name)");
        }
        String ns = prefix + name;
        String port = "to-" + name;
        String address = SUBNET + (10 + hosts.size());
        addNamespace(ns);
        // Both ends are created directly inside their namespaces: never a moment in the root namespace.
        Ip.ip("link", "add", HOST_INTERFACE, "netns", ns, "type", "veth", "peer", "name", port, "netns", bridgeNamespace);
        Ip.ip("-n", bridgeNamespace, "link", "set", port, "master", "br0");
        Ip.ip("-n", bridgeNamespace, "link", "set", port, "up");
        Ip.ip("-n", ns, "addr", "add", address + "/24", "dev", HOST_INTERFACE);
        Ip.ip("-n", ns, "link", "set", HOST_INTERFACE, "up");
        Ip.ip("-n", ns, "link", "set", "lo", "up");
        hosts.put(name, new NetnsHost(name, ns, address, port));
    }

    private void addNamespace(String ns) {
        Ip.ip("netns", "add", ns);
        namespaces.add(ns);
    }

    /** The host called {@code name}. */
    public NetnsHost host(String name) {
        NetnsHost h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no host '" + name + "' in this lab; hosts: " + hosts.keySet());
        }
        return h;
    }

    /**
     * Starts {@code mainClass} in a JVM inside {@code host}'s namespace ({@code ip netns exec}),
     * with this JVM's class path. Refuses any namespace this lab did not make, so that no
     * participant ever runs in the root namespace.
     */
    public Participant start(NetnsHost host, String participantName, Class<?> mainClass, List<String> args) {
        return start(host, participantName, mainClass, Participant.SMALL_JVM, args);
    }

    /** {@link #start(NetnsHost, String, Class, List)} with these JVM options instead of the small, quick-starting ones. */
    public Participant start(NetnsHost host, String participantName, Class<?> mainClass, List<String> jvmOptions, List<String> args) {
        if (closed.get()) {
            throw new IllegalStateException("this lab is closed; start participants before closing it");
        }
        if (!hosts.containsValue(host) || !namespaceExists(host.namespace())) {
            throw new IllegalArgumentException("refusing to start participant '" + participantName + "' in namespace '"
                    + host.namespace() + "': not a live host namespace of this lab, and participants never run in the "
                    + "root namespace; use lab.host(name)");
        }
        Participant p = Participant.start(host, participantName, mainClass, jvmOptions, args, logDir);
        participants.add(p);
        return p;
    }

    /** Pulls {@code host}'s cable: its port on the bridge goes down; the host sees its link go down too. */
    public void unplug(NetnsHost host) {
        Ip.ip("-n", bridgeNamespace, "link", "set", host(host.name()).bridgePort(), "down");
    }

    /** Plugs {@code host}'s cable back in. */
    public void plug(NetnsHost host) {
        Ip.ip("-n", bridgeNamespace, "link", "set", host(host.name()).bridgePort(), "up");
    }

    /**
     * Partitions {@code host} from {@code peers} (from every other host of the lab when none are
     * given): every IPv4 packet between them is dropped, both ways, by rules inside {@code host}'s
     * namespace. Its link stays up, so nobody sees a carrier change: only silence. Undo with {@link #heal}.
     */
    public void partition(NetnsHost host, NetnsHost... peers) {
        NetnsHost h = host(host.name());
        List<NetnsHost> cut = peers.length > 0 ? List.of(peers)
                : hosts.values().stream().filter(other -> !other.equals(h)).toList();
        partitions.drop(h.namespace(), HOST_INTERFACE, cut.stream().map(p -> host(p.name()).address()).toList());
    }

    /** Removes every partition rule of {@code host}. */
    public void heal(NetnsHost host) {
        partitions.heal(host(host.name()).namespace(), HOST_INTERFACE);
    }

    /** How partitions are made on this machine, for test output ("nftables ..." or "tc ..."). */
    public String partitionMethod() {
        return partitions.method().description();
    }

    /**
     * Whether {@code from} can reach {@code to} now: a TCP connect from inside {@code from}'s namespace
     * to a port nobody listens on at {@code to}'s address. A refusal (RST) means the packets got
     * through; silence until {@code timeout} means they were dropped. Runs bash's {@code /dev/tcp} via
     * {@code ip netns exec}: never a connection from the root namespace.
     */
    public boolean reachable(NetnsHost from, NetnsHost to, java.time.Duration timeout) {
        NetnsHost source = host(from.name());
        Ip.Result r = Ip.tryRun(List.of("ip", "netns", "exec", source.namespace(), "timeout",
                String.valueOf(Math.max(1, timeout.toSeconds())), "bash", "-c",
                "exec 3<>/dev/tcp/" + host(to.name()).address() + "/9"));
        if (r.output().contains("refused")) {
            return true;
        }
        if (r.code() == 124) {
            return false;
        }
        throw new IllegalStateException("reachability probe from " + from + " to " + to + " neither refused nor timed out: exit "
                + r.code() + ", " + r.output().strip());
    }

    /** The namespaces of this lab that still exist. */
    public List<String> liveNamespaces() {
        List<String> all = listNamespaces();
        return namespaces.stream().filter(all::contains).toList();
    }

    /** The pids of every participant this lab started, running or not. */
    public List<Long> participantPids() {
        return participants.stream().map(Participant::pid).toList();
    }

    /** Participants still running. */
    public List<Participant> liveParticipants() {
        return participants.stream().filter(Participant::isAlive).toList();
    }

    /** Kills every participant and deletes every namespace of this lab. Idempotent. */
    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran: fine
        }
    }

    private void cleanUp() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        participants.forEach(Participant::kill);
        List<String> reversed = new ArrayList<>(namespaces);
        java.util.Collections.reverse(reversed); // hosts first, the bridge last
        for (String ns : reversed) {
            deleteNamespace(ns);
        }
    }

    /**
     * Deletes the {@code pa-<pid>-*} namespaces whose pid is dead (a test JVM that was killed before
     * its cleanup), killing what still runs inside them first. Namespaces of live JVMs are left alone.
     */
    public static void sweepStale() {
        for (String ns : listNamespaces()) {
            Matcher m = OURS.matcher(ns);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            if (m.matches()) {
                deleteNamespace(ns);
            }
        }
    }

    private static void deleteNamespace(String ns) {
        Ip.Result pids = Ip.tryRun(List.of("ip", "netns", "pids", ns));
        if (pids.code() == 0) {
            pids.output().lines().map(String::strip).filter(s -> s.matches("\\d+"))
                    .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
        }
        Ip.tryRun(List.of("ip", "netns", "delete", ns));
    }

    /** Every network namespace name {@code ip netns list} shows. */
    static List<String> listNamespaces() {
        return Ip.ip("netns", "list").lines().map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean namespaceExists(String ns) {
        return listNamespaces().contains(ns);
    }

    /** This lab's namespaces' common prefix, {@code pa-<pid>-<lab>-}. */
    public String prefix() {
        return prefix;
    }
}
