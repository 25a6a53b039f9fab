package io.procactor.cluster.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One JVM started by a {@link NetnsLab} inside a host's namespace ({@code ip netns exec <ns> java
 * ...}, so the pid is the JVM's own). The lab's JVM talks to it only through pipes: commands on its
 * stdin, and on its stdout the protocol lines it prints with prefix {@value ParticipantIo#PREFIX}
 * (everything else, logs included, goes to its log file only). It exits when its stdin closes.
 *
 * <p>Thread-safe: one reader thread collects the lines; tests wait for them with {@link #await}.
 */
public final class Participant {
    private final String name;
    private final NetnsHost host;
    private final Process process;
    private final PrintWriter stdin;
    private final List<String> lines = new ArrayList<>(); // guarded by this
    private boolean ended; // its stdout closed: it exited; guarded by this

    private Participant(String name, NetnsHost host, Process process) {
        this.name = name;
        this.host = host;
        this.process = process;
        this.stdin = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    }

    /** JVM options of a participant that only needs to start fast and stay small. */
    static final List<String> SMALL_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx256m");
    /** JVM options of a participant that is measured: the full JIT and room for bursts of messages. */
    static final List<String> MEASURED_JVM = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xmx768m");

    static Participant start(NetnsHost host, String name, Class<?> mainClass, List<String> jvmOptions, List<String> args, Path logDir) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-D" + ParticipantIo.ROOT_NAMESPACE_PROPERTY + "=" + ParticipantIo.ownNetworkNamespace(),
                "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(args);
        try {
            Files.createDirectories(logDir);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            Participant participant = new Participant(name, host, p);
            Thread reader = new Thread(() -> participant.read(logDir.resolve(name + ".log")), "netns-" + name + "-out");
            reader.setDaemon(true);
            reader.start();
            return participant;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start participant '" + name + "' in " + host + ": " + e, e);
        }
    }

    private void read(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.write(line + "\n");
                out.flush();
                if (line.startsWith(ParticipantIo.PREFIX)) {
                    synchronized (this) {
                        lines.add(line.substring(ParticipantIo.PREFIX.length()));
                        notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; its exit is seen by await and isAlive
        }
        synchronized (this) {
            ended = true;
            notifyAll();
        }
    }

    /** Sends one command line to the participant's stdin. */
    public void send(String command) {
        stdin.println(command);
    }

    /**
     * Waits until a protocol line matching {@code condition} has come (also one that came before);
     * returns the first such line.
     *
     * @throws AssertionError naming the participant and the lines it printed, when none comes in {@code timeout}
     *         or the participant exits first
     */
    public String await(String what, Predicate<String> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                for (String l : lines) {
                    if (condition.test(l)) {
                        return l;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError(name + " in " + host + ": no line " + what + " within " + timeout.toMillis()
                            + " ms" + (ended ? " (it exited" + exitCode() + ")" : "")
                            + "; its lines: " + lines + " (full output in its log file)");
                }
                try {
                    wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what, e);
                }
            }
        }
    }

    private String exitCode() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? " with code " + process.exitValue() : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Waits for the first protocol line starting with {@code prefix}. */
    public String await(String prefix, Duration timeout) {
        return await("starting with '" + prefix + "'", l -> l.startsWith(prefix), timeout);
    }

    /** The protocol lines so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits for the process to exit; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " in " + host + " did not exit within " + timeout.toMillis() + " ms; lines: "
                    + lines());
        }
        return process.exitValue();
    }

    /** Asks it to quit (closing its stdin), waits a little, then kills it and what it started. */
    public void kill() {
        stdin.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public NetnsHost host() {
        return host;
    }
}
