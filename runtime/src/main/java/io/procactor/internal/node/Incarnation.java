package io.procactor.internal.node;

import io.procactor.transport.Credentials;
import io.procactor.internal.config.Settings;
import io.procactor.internal.core.Scheduler;
import io.procactor.internal.core.Ticker;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Connection;
import java.util.List;

/**
 * One JVM run of a child process: the OS process and its output pumps, its start slot, its
 * heartbeats, and what the node learnt from it (its control connection, where it listens for
 * peers, whether its actor started, its notice of why it exits).
 *
 * <p>Threads: created under the {@link ChildHandle}'s lock by the launching thread; the I/O thread
 * sets {@link #connection}, {@link #peerEndpoint}, {@link #actorStarted} and {@link #notice}; the
 * process reaper reads them all after the JVM exited. Each field has one writer and is volatile
 * or final. Thread-safe.
 */
final class Incarnation implements Heartbeats.Watched {
    final String name;
    final int number;
    final Process process;
    /** The one-time secret this JVM got on stdin; spent when its connection is admitted. */
    final Credentials secret;
    final OutputPump stdout;
    final OutputPump stderr;
    final LaunchAdmission.Ticket ticket;
    final Heartbeats heartbeats;
    /** Where this JVM writes the class-data sharing archive when it exits, or null (see {@link ClassDataSharing}). */
    final java.nio.file.Path archiveWrite;
    final long startedMillis = System.currentTimeMillis();
    volatile Connection connection;
    volatile String peerEndpoint;
    volatile boolean actorStarted;
    volatile Protocol.Exiting notice;

    Incarnation(String name, int number, ChildLauncher.Launched launched, LaunchAdmission.Ticket ticket,
                Scheduler scheduler, Settings s) {
        this.name = name;
        this.number = number;
        this.process = launched.process();
        this.secret = launched.secret();
        this.stdout = launched.stdout();
        this.stderr = launched.stderr();
        this.ticket = ticket;
        this.archiveWrite = launched.cds().writes();
        this.heartbeats = new Heartbeats(scheduler, Ticker.SYSTEM, this, s.startTimeout(), s.heartbeatInterval(),
                s.heartbeatTimeout());
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void kill() {
        ClassDataSharing.kill(process, archiveWrite);
    }

    @Override
    public void ping() {
        Connection c = connection;
        if (c != null) {
            c.ping(); // answered by the child's transport on its I/O thread: busy actors do not delay it
        }
    }

    @Override
    public boolean unheardByChoice() {
        Connection c = connection;
        return c != null && c.readsPaused();
    }

    @Override
    public long extraSilenceMillis() {
        // it said Exiting and closed its connection; writing the archive at exit can outlast the heartbeat timeout
        return archiveWrite != null && notice != null ? ChildHandle.ARCHIVE_WRITE_MILLIS : 0;
    }

    @Override
    public String describe() {
        return name + " " + process.pid();
    }

    /**
     * What the node saw of this JVM, once it exited: call after its control connection was read to
     * the end. Waits up to 2 s for the last lines of its output.
     */
    ExitClassifier.Observation observation(boolean killRequested, boolean terminateEscalated, boolean stopRequested) {
        List<String> tail = stderr.awaitTail(2000);
        List<String> out = stdout.awaitTail(2000);
        if (tail.isEmpty()) {
            tail = out; // a JVM that cannot start (bad option, too small a heap) says why on stdout
        }
        Protocol.Exiting n = notice;
        return new ExitClassifier.Observation(process.exitValue(), n == null ? null : new ExitClassifier.Notice(n.reason(), n.detail()),
                heartbeats.unresponsive(), killRequested, terminateEscalated, heartbeats.startTimedOut(), stopRequested,
                connection != null, peerEndpoint != null, tail);
    }

    /** How far this JVM's start got, for the message of a timeout; null once its actor started. */
    String startProgress(Settings s) {
        long since = System.currentTimeMillis() - startedMillis;
        String jvm = "its JVM [" + process.pid() + "], launched " + since + " ms ago, ";
        if (connection == null) {
            return jvm + "has not connected yet (start-timeout " + s.startTimeout().toMillis() + " ms)";
        }
        if (peerEndpoint == null) {
            return jvm + "connected and is still setting up";
        }
        return actorStarted ? null : jvm + "is running its actor's constructor or preStart";
    }
}
