package io.procactor.internal.topology;

import io.procactor.internal.pool.ProcessPool;
import io.procactor.ActorException;
import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Pool;
import io.procactor.Props;
import io.procactor.Topology;
import io.procactor.internal.node.NodeRuntime;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a checked {@link TopologySpec} on a system: creates every process (not started, so refs to
 * it queue their messages), starts processes and pools in startup order, each once its
 * dependencies are ready, sends the start message, waits until done, and stops everything it
 * started, dependents first. One run per instance; the calling thread does the work.
 */
public final class TopologyRunner {
    private static final Logger log = LoggerFactory.getLogger(TopologyRunner.class);

    private final TopologySpec spec;
    private final ActorSystem system;
    private final NodeRuntime node;
    private final PrintStream out;
    private final Duration readyTimeout;
    private final Duration grace;
    private final Map<String, ActorProcess> processes = new LinkedHashMap<>();
    private final Map<String, Pool> pools = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> started = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Topology.Ending> done = new CompletableFuture<>();
    private volatile boolean stopping;
    private ActorRef runner;

    public TopologyRunner(TopologySpec spec, ActorSystem system, NodeRuntime node, PrintStream out) {
        this.spec = spec;
        this.system = system;
        this.node = node;
        this.out = out;
        this.readyTimeout = node.settings().startTimeout().plusSeconds(10);
        this.grace = node.settings().terminateGracePeriod().plusSeconds(5);
    }

    public Topology.Result run() throws InterruptedException {
        long t0 = System.nanoTime();
        Consumer<Object> received = this::received;
        Runnable closed = () -> done.complete(Topology.Ending.CLOSED);
        runner = system.actorOf(Props.create(RunnerActor.class, received, closed), TopologySpec.RUNNER);
        try {
            Function<String, ActorRef> refs = this::ref;
            for (TopologySpec.Entry e : spec.entries().values()) {
                if (!e.pool()) {
                    processes.put(e.name(), system.process(e.props(refs), e.name(), e.processOptions()));
                }
            }
            for (String name : spec.order()) {
                TopologySpec.Entry e = spec.entries().get(name);
                for (String dep : e.after()) {
                    awaitReady(dep, e.path() + " waits for");
                }
                if (e.pool()) {
                    pools.put(name, system.pool(e.props(refs), e.poolOptions()));
                } else {
                    ActorProcess p = processes.get(name);
                    p.onExit().thenAccept(status -> exited(p, status));
                    p.start();
                }
                started.add(name);
                log.debug("Topology: started {} [{}]", e.kind(), name);
            }
            for (String name : spec.order()) {
                awaitReady(name, "the topology waits for");
            }
            checkAllExited();
            TopologySpec.Start start = spec.start();
            if (start != null) {
                ref(start.to()).tell(start.message(), runner);
            }
            TopologySpec.Done d = spec.done();
            if (d.when() == TopologySpec.When.DURATION) {
                done.completeOnTimeout(Topology.Ending.DURATION, d.after().toMillis(), TimeUnit.MILLISECONDS);
            }
            Topology.Ending ending;
            try {
                ending = done.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof ActorException ae ? ae : new ActorException(e.getCause().getMessage(), e.getCause());
            }
            stop();
            Map<String, ExitStatus> exits = new LinkedHashMap<>();
            processes.forEach((n, p) -> p.exitStatus().ifPresent(s -> exits.put(n, s)));
            return new Topology.Result(ending, Duration.ofNanos(System.nanoTime() - t0), exits);
        } finally {
            stop();
        }
    }

    private ActorRef ref(String name) {
        if (name.equals(TopologySpec.RUNNER)) {
            return runner;
        }
        return spec.entries().get(name).pool() ? ProcessPool.ref(node, name) : node.ref(name, name);
    }

    /** A message to {@code ref:topology}: the done message ends the run; anything else is printed. */
    private void received(Object message) {
        TopologySpec.Done d = spec.done();
        if (d.when() == TopologySpec.When.MESSAGE && d.message().equals(message)) {
            done.complete(Topology.Ending.MESSAGE);
        } else {
            out.println(message);
        }
    }

    private void awaitReady(String name, String what) throws InterruptedException {
        CompletableFuture<?> ready;
        if (spec.entries().get(name).pool()) {
            Pool pool = pools.get(name);
            ready = CompletableFuture.allOf(pool.workers().stream().map(ActorProcess::ready).toArray(CompletableFuture[]::new));
        } else {
            ready = processes.get(name).ready();
        }
        try {
            CompletableFuture.anyOf(ready, done).get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // sorted out below
        }
        if (done.isCompletedExceptionally()) {
            try {
                done.get(); // another process failed meanwhile: that failure is the news
            } catch (ExecutionException e) {
                throw e.getCause() instanceof ActorException ae ? ae : new ActorException(e.getCause().getMessage(), e.getCause());
            }
        }
        String what2 = what + " " + spec.entries().get(name).kind() + " [" + name + "]";
        if (done.isDone() && !ready.isDone()) {
            throw new ActorException(what2 + ", but the topology ended before it was ready (" + done.join() + ")");
        }
        if (!ready.isDone()) {
            throw new ActorException(what2 + ", which was not ready within " + readyTimeout.toMillis() + " ms");
        }
        try {
            ready.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new ActorException(what2 + ", which did not start: " + cause.getMessage(), cause);
        }
    }

    /** A process exited for good: an abnormal exit fails the run, the last exit of all ends it. */
    private void exited(ActorProcess p, ExitStatus status) {
        if (stopping) {
            return;
        }
        if (!status.isClean()) {
            done.completeExceptionally(new ActorException("process [" + p.name() + "] failed: " + describe(status)));
            return;
        }
        log.debug("Topology: process [{}] exited: {}", p.name(), status);
        checkAllExited();
    }

    /** The status and the line of its output tail most likely to say why (an exception's), if any. */
    static String describe(ExitStatus status) {
        List<String> tail = status.stderrTail();
        String why = null;
        for (String line : tail) {
            String t = line.strip();
            if (!t.startsWith("at ") && !t.startsWith("...") && (t.contains("Exception") || t.contains("Error"))) {
                why = t;
            }
        }
        if (why == null && !tail.isEmpty()) {
            why = tail.get(tail.size() - 1).strip();
        }
        return why == null || status.detail().contains(why) ? status.toString() : status + "; its output ended with: " + why;
    }

    private void checkAllExited() {
        if (processes.isEmpty() || stopping || started.size() < spec.order().size()) {
            return;
        }
        if (processes.values().stream().allMatch(p -> p.exitStatus().isPresent())) {
            if (spec.done().when() == TopologySpec.When.MESSAGE) {
                done.completeExceptionally(new ActorException("every process exited before the done message ["
                        + spec.done().message() + "] reached ref:" + TopologySpec.RUNNER));
            } else {
                done.complete(Topology.Ending.EXITED);
            }
        }
    }

    /** Stops what was started, dependents first: processes terminate (postStop runs), pools close. */
    private void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        done.complete(Topology.Ending.CLOSED); // no-op if it ended already
        List<String> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        for (String name : reverse) {
            try {
                if (spec.entries().get(name).pool()) {
                    closePool(name, pools.get(name));
                } else {
                    ActorProcess p = processes.get(name);
                    p.terminate();
                    if (!p.join(grace)) {
                        log.warn("Topology: process [{}] did not exit within {} ms of terminate(); killing it", name, grace.toMillis());
                        p.kill();
                        p.join(Duration.ofSeconds(5));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Topology: interrupted while stopping; the system's close() stops the rest");
                break;
            } catch (RuntimeException e) { // the system is closing meanwhile (Ctrl-C)
                log.debug("Topology: stopping [{}]: {}", name, e.toString());
            }
        }
        if (runner != null) {
            runner.tell(RunnerActor.STOP);
        }
    }

    /** Closes a pool (queued work finishes), terminating it if that takes longer than the grace period. */
    private void closePool(String name, Pool pool) throws InterruptedException {
        Thread closer = new Thread(pool::close, "procactor-topology-close-" + name);
        closer.setDaemon(true);
        closer.start();
        closer.join(grace.toMillis());
        if (closer.isAlive()) {
            log.warn("Topology: pool [{}] did not finish its queued work within {} ms; terminating it", name, grace.toMillis());
            pool.terminate();
            pool.join(Duration.ofSeconds(5));
        }
    }
}
