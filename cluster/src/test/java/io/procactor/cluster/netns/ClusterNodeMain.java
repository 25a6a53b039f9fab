package io.procactor.cluster.netns;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.Cluster;
import io.procactor.ClusterMember;
import io.procactor.Props;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A participant: a procactor node ({@link ActorSystem}, public API only) in a lab namespace,
 * configured by the HOCON text of its first argument ({@code procactor.cluster ...}). It reports on
 * stdout, as {@link ParticipantIo} lines with the wall-clock time in ms (the same clock in every
 * namespace):
 * <pre>
 * READY host@incarnation          started and registered     FAILED message    could not start (exit 2)
 * MEMBERS a@x,b@y,c@z             the members, on each change and on the command "members"
 * LOST host@incarnation time      a member went away         SUSPENDED time / ACCEPTING time
 * NEW-INCARNATION old new time    this node registered anew (after a lost session)
 * CHILD-UP pid / CHILD-EXIT reason time   with argument "child": one child JVM, killed when the session is lost
 * </pre>
 * It polls the public {@link Cluster} view every 10 ms (the node's own events are internal). With
 * {@code procactor.cluster.role = agent} it is a host agent; as a node it also takes the remote-spawn
 * commands of {@link PoolCommands}. Quits on "quit" or when stdin closes.
 *
 * <p>Threading: main thread reads commands; one watcher thread polls and reports.
 */
public final class ClusterNodeMain {
    private ClusterNodeMain() {
    }

    /** Replies with what it gets. */
    public static final class Echo extends Actor {
        @Override
        protected void onReceive(Object message) {
            reply(message);
        }
    }

    public static void main(String[] args) throws Exception {
        ParticipantIo.refuseRootNamespace();
        Config config = ConfigFactory.parseString(args[0]).withFallback(ConfigFactory.load());
        boolean withChild = List.of(args).contains("child");
        ActorSystem system;
        try {
            system = PoolCommands.register(ActorSystem.builder("netns").config(config)).build();
        } catch (RuntimeException e) {
            ParticipantIo.report("FAILED " + oneLine(e));
            System.exit(2);
            return;
        }
        try {
            Cluster cluster = system.cluster();
            ParticipantIo.report("READY " + cluster.self());
            if (withChild) {
                ActorProcess child = system.spawnProcess(Props.create(Echo.class), "child");
                child.ref().ask("ping", Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS);
                ParticipantIo.report("CHILD-UP " + child.pid());
                child.onExit().thenAccept(status ->
                        ParticipantIo.report("CHILD-EXIT " + status.reason() + " " + System.currentTimeMillis()));
            }
            Thread watcher = new Thread(() -> watch(cluster), "netns-watcher");
            watcher.setDaemon(true);
            watcher.start();
            PoolCommands pool = new PoolCommands(system);
            ParticipantIo.commands(command -> {
                try {
                    if (command.equals("members")) {
                        ParticipantIo.report("MEMBERS " + names(cluster.members()));
                    } else if (!pool.handle(command)) {
                        ParticipantIo.report("UNKNOWN-COMMAND " + command);
                    }
                } catch (Exception e) {
                    ParticipantIo.report("COMMAND-FAILED " + command + ": " + oneLine(e));
                }
            });
        } finally {
            system.close();
        }
        ParticipantIo.report("CLOSED");
        System.exit(0);
    }

    private static void watch(Cluster cluster) {
        List<ClusterMember> members = cluster.members();
        ClusterMember self = cluster.self();
        boolean accepting = cluster.acceptingWork();
        ParticipantIo.report("MEMBERS " + names(members));
        while (true) {
            try {
                Thread.sleep(10); // polling the public view: the node's own events are internal
            } catch (InterruptedException e) {
                return;
            }
            long now = System.currentTimeMillis();
            List<ClusterMember> nowMembers = cluster.members();
            if (!nowMembers.equals(members)) {
                for (ClusterMember m : members) {
                    if (!nowMembers.contains(m)) {
                        ParticipantIo.report("LOST " + m + " " + now);
                    }
                }
                ParticipantIo.report("MEMBERS " + names(nowMembers));
                members = nowMembers;
            }
            boolean nowAccepting = cluster.acceptingWork();
            if (nowAccepting != accepting) {
                ParticipantIo.report((nowAccepting ? "ACCEPTING " : "SUSPENDED ") + now);
                accepting = nowAccepting;
            }
            ClusterMember nowSelf = cluster.self();
            if (!nowSelf.equals(self)) {
                ParticipantIo.report("NEW-INCARNATION " + self + " " + nowSelf + " " + now);
                self = nowSelf;
            }
        }
    }

    private static String names(List<ClusterMember> members) {
        return String.join(",", members.stream().map(ClusterMember::toString).toList());
    }

    private static String oneLine(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(b.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return b.toString().replace('\n', ' ');
    }
}
