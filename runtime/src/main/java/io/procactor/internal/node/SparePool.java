package io.procactor.internal.node;

import io.procactor.ProcessOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm spare child JVMs ({@code procactor.child.spares}): JVMs started ahead with the default
 * process options, warmed up and idle (see {@code SpareWarmup}), each given to a process on demand
 * instead of a cold launch, and replaced in the background (their launches wait behind every
 * process's in {@link LaunchAdmission}). Spares start with the system or at the first process that
 * could use one ({@code procactor.child.spares-start}). A spare is not a process: one that dies
 * while idle is logged and replaced after a backoff (after {@value #MAX_FAILURES} such deaths in a
 * row, no more are started). {@link #close} kills every spare and waits for them: none outlives
 * its node (nor its node's JVM: a spare halts when its stdin closes).
 *
 * <p>Thread-safe; state guarded by this. {@link #take} on the thread starting a process (under its
 * handle's lock); launches on the executor, or on the thread that released a start slot; warm-up
 * notices on an output pump thread; deaths on the process reaper; {@link #close} on the closing thread.
 */
final class SparePool {
    private static final Logger log = LoggerFactory.getLogger(SparePool.class);
    static final int MAX_FAILURES = 5;
    private static final long FIRST_BACKOFF_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    /** One spare JVM; idle in the pool until taken. */
    static final class Spare {
        final String label;
        final LaunchAdmission.Ticket ticket;
        final Object key;
        volatile ChildLauncher.Started started;
        volatile boolean warm;

        private Spare(String label, LaunchAdmission.Ticket ticket, Object key) {
            this.label = label;
            this.ticket = ticket;
            this.key = key;
        }
    }

    private final NodeRuntime node;
    private final ChildLauncher launcher;
    private final int target;
    private final java.util.function.Supplier<io.procactor.transport.Endpoint> rehearsals;
    private final AtomicInteger labels = new AtomicInteger();
    private final ArrayDeque<Spare> idle = new ArrayDeque<>();
    private int pending;        // launches requested, not finished
    private int launching;      // launches running now (close waits for them)
    private int failures;       // spares in a row that died before they were used
    private long notBeforeNanos; // backoff after a death: no launch before
    private boolean started;
    private boolean closed;

    /** @param rehearsals where each spare may listen while it warms up (a new endpoint per call) */
    SparePool(NodeRuntime node, ChildLauncher launcher, int target,
              java.util.function.Supplier<io.procactor.transport.Endpoint> rehearsals) {
        this.node = node;
        this.rehearsals = rehearsals;
        this.launcher = launcher;
        this.target = target;
    }

    /** Starts the spares now (spares-start = system-start); otherwise the first {@link #take} that could use one does. */
    synchronized void start() {
        started = true;
        refill();
    }

    /**
     * A spare for a process whose JVM has {@code key} ({@link ChildLauncher#compatibilityKey}), taken
     * out of the pool (and replaced), or null: none is idle, or the process needs another JVM than a
     * spare's, or spares are off.
     */
    Spare take(Object key) {
        if (target == 0) {
            return null;
        }
        synchronized (this) {
            if (closed) {
                return null;
            }
            if (!started) {
                if (key.equals(launcher.compatibilityKey(ProcessOptions.defaults()))) {
                    start(); // this process starts cold; the next one can have a spare
                }
                return null;
            }
            Spare pick = null;
            for (Spare s : idle) { // a warm one, else one still warming (its head start still beats a cold launch)
                if (s.key.equals(key) && s.started.process().isAlive() && (pick == null || s.warm && !pick.warm)) {
                    pick = s;
                }
            }
            if (pick != null) {
                idle.remove(pick);
                refill();
            }
            return pick;
        }
    }

    /** A taken spare that was not used after all (its process was killed before it launched). */
    void discard(Spare spare) {
        spare.started.process().destroyForcibly();
        node.launches().release(spare.ticket);
    }

    /** Idle spares that are warm, for tests and measurements. */
    synchronized int warmCount() {
        return (int) idle.stream().filter(s -> s.warm && s.started.process().isAlive()).count();
    }

    /** Pids of the idle spares, for tests and measurements. */
    synchronized List<Long> pids() {
        return idle.stream().map(s -> s.started.process().pid()).toList();
    }

    // guarded by this
    private void refill() {
        if (closed || !started || failures >= MAX_FAILURES || System.nanoTime() < notBeforeNanos) {
            return;
        }
        while (idle.size() + pending < target) {
            pending++;
            // never on the thread of a spawnProcess call: forking a JVM takes milliseconds
            node.core().executor().execute(() -> node.launches().requestInBackground(this::launch));
        }
    }

    private void launch(LaunchAdmission.Ticket ticket) {
        synchronized (this) {
            if (closed) {
                pending--;
                node.launches().release(ticket);
                return;
            }
            launching++;
        }
        Spare spare = new Spare("spare-" + labels.incrementAndGet(), ticket,
                launcher.compatibilityKey(ProcessOptions.defaults()));
        try {
            spare.started = launcher.startSpare(spare.label, rehearsals.get(), () -> warm(spare));
        } catch (java.io.IOException | RuntimeException e) {
            node.launches().release(ticket);
            log.warn("Could not start a spare child JVM: {}", e.toString());
            synchronized (this) {
                pending--;
                launching--;
                died();
                notifyAll();
            }
            return;
        }
        Process process = spare.started.process();
        boolean keep;
        synchronized (this) {
            pending--;
            keep = !closed;
            if (keep) {
                idle.add(spare);
            }
        }
        if (keep) {
            ProcessExits.of(process).thenRun(() -> exited(spare));
        } else {
            process.destroyForcibly();
            ProcessExits.of(process).join();
            node.launches().release(ticket);
        }
        synchronized (this) {
            launching--;
            notifyAll();
        }
        log.debug("Started spare child JVM [{} {}]", spare.label, process.pid());
    }

    private void warm(Spare spare) {
        spare.warm = true;
        node.launches().release(spare.ticket); // its start is over: the slot goes to the next JVM
        synchronized (this) {
            failures = 0;
        }
    }

    private void exited(Spare spare) {
        node.launches().release(spare.ticket);
        synchronized (this) {
            if (!idle.remove(spare) || closed) {
                return; // taken (its process's business now) or killed by close()
            }
        }
        Process p = spare.started.process();
        log.warn("Spare child JVM [{} {}] exited while idle with code {}{}; replacing it", spare.label, p.pid(), p.exitValue(),
                tail(spare));
        synchronized (this) {
            died();
        }
    }

    private static String tail(Spare spare) {
        List<String> lines = spare.started.stderr().awaitTail(200);
        return lines.isEmpty() ? "" : ": " + String.join(" | ", lines);
    }

    // guarded by this
    private void died() {
        failures++;
        if (failures >= MAX_FAILURES) {
            log.warn("{} spare child JVMs in a row died before they were used: no more spares for system [{}] "
                    + "(procactor.child.spares); processes start cold JVMs", failures, node.systemName());
            return;
        }
        long backoff = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << (failures - 1));
        notBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
        node.core().scheduler().schedule(() -> {
            synchronized (this) {
                refill();
            }
        }, backoff + 1, TimeUnit.MILLISECONDS);
    }

    /** Kills every spare and returns once they have all exited (and no launch is under way). */
    void close() {
        List<Spare> spares;
        synchronized (this) {
            closed = true;
            spares = new ArrayList<>(idle);
            idle.clear();
        }
        spares.forEach(s -> s.started.process().destroyForcibly());
        try {
            synchronized (this) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (launching > 0 && System.nanoTime() < deadline) {
                    wait(100);
                }
            }
            for (Spare s : spares) {
                ProcessExits.of(s.started.process()).get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("A spare child JVM did not exit within 5 s of being killed: {}", e.toString());
        }
    }
}
