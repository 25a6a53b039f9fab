package io.procactor.internal.node;

import io.procactor.internal.wire.ChildOutput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Reads one output stream of a child until it closes (a child whose output nobody reads blocks),
 * and logs each line on the node through SLF4J, prefixed with the child's name and pid, with MDC
 * {@code procactor.process} and {@code procactor.pid}. Lines that start with {@link ChildOutput#MARKER}
 * and a level are the child's log events (see {@code ChildLoggerProvider}) and keep that level;
 * other lines are the program's output (INFO) or stderr (WARN). Keeps the last lines for the
 * child's {@code ExitStatus}.
 */
public final class OutputPump implements Runnable {
    /** The node's logger for everything children print and log; its level decides what children send. */
    public static final String LOGGER = "procactor.child";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final InputStream in;
    private volatile String prefix;
    private final Level plainLevel;
    private final int keep;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final Thread thread;
    private volatile String childName;
    /** A spare's: run once, when it prints {@link io.procactor.internal.child.SpareWarmup#WARM_LINE} (not logged). */
    private volatile Runnable onWarm;
    private final long pid;
    /** Lines that contain it are logged at DEBUG (see {@link #quiet}); null: none. */
    private volatile String quiet;

    OutputPump(InputStream in, String childName, long pid, boolean stderr, int keep) {
        this.in = in;
        this.childName = childName;
        this.pid = pid;
        this.prefix = "[" + childName + " " + pid + "] ";
        this.plainLevel = stderr ? Level.WARN : Level.INFO;
        this.keep = keep;
        this.thread = new Thread(this, "procactor-" + childName + (stderr ? "-stderr" : "-stdout"));
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Calls {@code onWarm} once, on the pump's thread, when the spare says it is warm; before {@link #start}. */
    void onWarm(Runnable onWarm) {
        this.onWarm = onWarm;
    }

    /**
     * Lines that contain {@code marker} are the JVM's own report, not the program's: logged at
     * DEBUG. The JVM that writes an AOT cache as it exits prints what it does with the file on
     * stdout and stderr, and no -Xlog option turns that off; each line names the file.
     */
    void quiet(String marker) {
        this.quiet = marker;
    }

    /** A spare was given process {@code name}: its later lines carry that name. */
    void rename(String name) {
        childName = name;
        prefix = "[" + name + " " + pid + "] ";
        thread.setName("procactor-" + name + (plainLevel == Level.WARN ? "-stderr" : "-stdout"));
    }

    @Override
    public void run() {
        // the pump thread serves one child: its MDC names it for every line (a backend's pattern can show %X{procactor.process})
        MDC.put("procactor.process", childName);
        MDC.put("procactor.pid", Long.toString(pid));
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            String named = childName;
            while ((line = r.readLine()) != null) {
                Runnable warm = onWarm;
                if (warm != null && line.equals(io.procactor.internal.child.SpareWarmup.WARM_LINE)) {
                    onWarm = null;
                    warm.run();
                    continue;
                }
                if (named != childName) { // renamed: a spare got its process
                    named = childName;
                    MDC.put("procactor.process", named);
                }
                Level level = plainLevel;
                if (!line.isEmpty() && line.charAt(0) == ChildOutput.MARKER) {
                    int sp = line.indexOf(' ');
                    level = parse(sp > 0 ? line.substring(1, sp) : "INFO");
                    line = sp > 0 ? line.substring(sp + 1) : line.substring(1);
                }
                String q = quiet;
                if (q != null && line.contains(q)) {
                    level = Level.DEBUG;
                }
                log.atLevel(level).log(prefix + line);
                remember(line);
            }
        } catch (IOException e) {
            log.debug("{}output stream ended: {}", prefix, e.toString());
        }
    }

    private static Level parse(String s) {
        try {
            return Level.valueOf(s);
        } catch (IllegalArgumentException e) {
            return Level.INFO;
        }
    }

    private synchronized void remember(String line) {
        if (keep == 0) {
            return;
        }
        if (tail.size() == keep) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }

    /** Waits up to {@code millis} for the stream to end, then returns the last lines. */
    List<String> awaitTail(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            return List.copyOf(tail);
        }
    }
}
