package io.procactor.samples.supervision;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.ActorTerminatedException;
import io.procactor.AskTimeoutException;
import io.procactor.ExitStatus;
import io.procactor.ProcessOptions;
import io.procactor.Props;
import io.procactor.RemoteActorException;
import io.procactor.RestartPolicy;
import io.procactor.Terminated;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Fault tolerance in two layers. A worker process squares numbers; three of its jobs go wrong:
 *
 * <ul>
 *   <li>job 3 throws: the actor's supervisor restarts the actor in place (preRestart on the old
 *       instance, postRestart on the new one); the JVM lives on;</li>
 *   <li>job 5 calls {@code System.exit(3)}: the JVM is gone, and the node restarts the process
 *       because its {@link RestartPolicy} is permanent;</li>
 *   <li>job 7 hangs: nothing fails by itself, so the caller notices by a timeout and SIGKILLs the JVM
 *       (what an operator or the OOM killer would do); the node restarts it again.</li>
 * </ul>
 *
 * A monitor actor in the node uses death watch to learn why the process died, and the sample
 * retries each job that failed, so all of them complete. Python's multiprocessing has no such
 * layer: a crashed {@code Process} is just gone, with an {@code exitcode} to read after {@code join}.
 */
public final class SupervisionSample implements Sample {
    private static final int JOBS = 8;
    /** Which job goes wrong how, on its first delivery only: the faults are transient, so a retry succeeds. */
    private static final Map<Integer, Fault> FAULTS = Map.of(3, Fault.THROW, 5, Fault.EXIT, 7, Fault.HANG);
    private static final int MAX_ATTEMPTS = 3;
    private static final int MAX_REFUSALS = 50;
    private static final Duration REFUSAL_BACKOFF = Duration.ofMillis(20);
    /**
     * A square takes microseconds: a worker that has not answered by then is stuck. Generous, because
     * a JVM in System.exit takes a moment to die (its shutdown hook gives the other actors time to
     * stop), and that must not pass for a hang on a busy machine.
     */
    private static final Duration ANSWER = Duration.ofSeconds(10);
    /** A retry may have to wait for a new JVM to start. */
    private static final Duration RESTART = Duration.ofSeconds(60);

    /** What the sample injects into a job, to simulate a bug. */
    public enum Fault { NONE, THROW, EXIT, HANG }

    /**
     * The simulated bug of job 3. Its stack trace would say nothing (the fault is injected), so it
     * has none: the worker's log line then shows just this exception.
     */
    public static final class BadInput extends RuntimeException {
        public BadInput(String message) {
            super(message, null, false, false);
        }
    }

    /** Node to worker: square {@code n}. */
    public record Job(int n, Fault fault) {
    }

    /** Worker to node: {@code n * n}, and which process and actor instance did it. */
    public record Result(int n, long square, long pid, int jobOfInstance) {
    }

    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(Fault.class, 1100)
                .register(Job.class, 1101)
                .register(Result.class, 1102);
    }

    /**
     * The process's only actor. Its supervisor is the process's guardian, which restarts it when it
     * throws (procactor.supervision, default restart); an actor that creates children with
     * context().actorOf supervises them itself, by its supervisorStrategy().
     */
    public static final class Worker extends Actor {
        /** Instance state, to show that a restart starts from scratch. */
        private int handled;

        @Override
        protected void preStart() {
            System.out.println("worker started in a new JVM, pid " + context().pid());
        }

        @Override
        protected void onReceive(Object message) throws InterruptedException {
            if (!(message instanceof Job job)) {
                unhandled(message);
                return;
            }
            switch (job.fault()) {
                case THROW -> throw new BadInput("cannot square job " + job.n() + " (injected fault)");
                case EXIT -> {
                    System.out.println("job " + job.n() + ": fatal error, calling System.exit(3)");
                    System.exit(3);
                }
                case HANG -> {
                    System.out.println("job " + job.n() + ": stuck (a deadlock, an endless loop...)");
                    Thread.sleep(TimeUnit.MINUTES.toMillis(10));
                }
                case NONE -> {
                }
            }
            handled++;
            reply(new Result(job.n(), (long) job.n() * job.n(), context().pid(), handled));
        }

        /** On the failed instance, before it is thrown away: the place to release what it holds. */
        @Override
        protected void preRestart(Throwable reason, Object message) {
            System.out.println("preRestart: discarding the instance that handled " + handled + " job(s), after "
                    + reason.getClass().getSimpleName() + " on " + message);
        }

        /** On the fresh instance, instead of preStart: same actor, same ref, same process, new state. */
        @Override
        protected void postRestart(Throwable reason) {
            System.out.println("postRestart: a fresh instance takes over in the same JVM, pid " + context().pid());
        }
    }

    /**
     * Death watch from the node: receives {@link Terminated}, with the process's {@link ExitStatus},
     * each time the worker's process dies. It keeps them for the sample to ask about in order, so
     * the story prints in the order things happened.
     */
    public static final class Monitor extends Actor {
        static final String NEXT_DEATH = "next-death";
        private final ActorProcess process;
        private final Queue<Terminated> deaths = new ArrayDeque<>();
        private final Queue<ActorRef> askers = new ArrayDeque<>();

        public Monitor(ActorProcess process) {
            this.process = process;
        }

        @Override
        protected void preStart() {
            context().watch(process.ref());
        }

        @Override
        protected void onReceive(Object message) {
            if (message instanceof Terminated t) {
                // Terminated comes once per watch. The node respawns the process under the same ref,
                // so watch again unless it is down for good.
                if (process.exitStatus().isEmpty()) {
                    context().watch(t.ref());
                }
                ActorRef asker = askers.poll();
                if (asker != null) {
                    asker.tell(t, self());
                } else {
                    deaths.add(t);
                }
            } else if (NEXT_DEATH.equals(message)) {
                Terminated t = deaths.poll();
                if (t != null) {
                    reply(t);
                } else {
                    askers.add(sender()); // answered when the next Terminated arrives
                }
            } else {
                unhandled(message);
            }
        }
    }

    @Override
    public String name() {
        return "supervision";
    }

    @Override
    public String description() {
        return "a worker that throws, exits and hangs: actor restart, process restart, death watch, retries";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        // Permanent: the node respawns the JVM whatever way it dies (unless we stop it on request).
        RestartPolicy policy = RestartPolicy.permanent()
                .withIntensity(5, Duration.ofMinutes(1))
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), 0.2);
        ActorProcess worker = system.spawnProcess(Props.create(Worker.class), "worker",
                ProcessOptions.defaults().restart(policy));
        ActorRef monitor = system.actorOf(Props.create(Monitor.class, worker), "monitor");
        worker.ready().get(RESTART.toSeconds(), TimeUnit.SECONDS);
        out.println("The worker process is up: pid " + worker.pid() + ", restart policy " + policy.type()
                + "; a monitor in the node watches it.");

        List<Long> squares = new ArrayList<>();
        long lastPid = worker.pid();
        int actorRestarts = 0;
        for (int n = 1; n <= JOBS; n++) {
            Fault fault = FAULTS.getOrDefault(n, Fault.NONE);
            int refused = 0;
            for (int attempt = 1; ; ) {
                // Only the first delivery carries the fault: the retry stands for "the same input,
                // once the transient cause is gone".
                Job job = new Job(n, attempt == 1 ? fault : Fault.NONE);
                try {
                    Result r = worker.ref().<Result>ask(job, attempt == 1 ? ANSWER : RESTART).get();
                    squares.add(r.square());
                    out.println("job " + n + " -> " + r.square() + "   (pid " + r.pid() + ", job #" + r.jobOfInstance()
                            + " of this worker instance" + (attempt > 1 ? ", attempt " + attempt : "") + ")");
                    if (r.pid() != lastPid) {
                        out.println("   the node restarted the process: new pid " + r.pid()
                                + ", worker.restarts() = " + worker.restarts());
                        lastPid = r.pid();
                    }
                    break;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof ActorTerminatedException t && t.exitStatus().isEmpty() && ++refused < MAX_REFUSALS) {
                        // Not a new failure: the job never left. A retry sent while the node is still
                        // swapping the dead incarnation for the next is refused ("was not sent").
                        // Back off a little and send it again.
                        Thread.sleep(REFUSAL_BACKOFF.toMillis());
                        continue;
                    }
                    if (attempt == MAX_ATTEMPTS || refused >= MAX_REFUSALS) {
                        throw new IllegalStateException("job " + n + " failed " + attempt + " time(s), refused "
                                + refused + " time(s); last: " + cause, cause);
                    }
                    if (cause instanceof RemoteActorException) {
                        actorRestarts++;
                    }
                    explain(n, cause, worker, monitor, out);
                    out.println("   retrying job " + n);
                    attempt++;
                }
            }
        }
        out.println("All " + JOBS + " jobs done: " + squares + ", despite " + actorRestarts + " actor restart(s) and "
                + worker.restarts() + " process restart(s).");

        // kill() and terminate() are requests to stop: not restarted, even with a permanent policy.
        out.println("Finally worker.kill(): a stop on request, so the node does not restart it.");
        worker.kill();
        out.println("   death watch: " + nextDeath(monitor));
        ExitStatus status = worker.join();
        out.println("   worker exited: " + status + "; restarts() = " + worker.restarts() + ", isAlive() = "
                + worker.isAlive());
    }

    /** Prints what went wrong with job {@code n} and what the system did about it. */
    private static void explain(int n, Throwable failure, ActorProcess worker, ActorRef monitor, PrintStream out)
            throws Exception {
        if (failure instanceof RemoteActorException e) {
            // The actor threw: the asker gets the exception (as data), the supervisor restarts the actor.
            String type = e.remoteClassName().substring(e.remoteClassName().lastIndexOf('.') + 1);
            out.println("job " + n + " failed: the worker threw " + type + ": " + e.remoteMessage());
            out.println("   its supervisor restarted the actor (see preRestart/postRestart): same process, pid "
                    + worker.pid() + ", restarts() = " + worker.restarts() + "; death watch sees nothing, "
                    + "a restart is not a death");
        } else if (failure instanceof ActorTerminatedException e) {
            // The JVM died: every ask in flight to it fails at once, with how it ended.
            out.println("job " + n + " failed: the worker's process died: "
                    + e.exitStatus().map(ExitStatus::toString).orElse("(actor stopped)"));
            out.println("   death watch: " + nextDeath(monitor));
        } else if (failure instanceof AskTimeoutException) {
            // A hung actor fails nothing by itself (its JVM still answers heartbeats): only a timeout tells.
            long pid = worker.pid();
            out.println("job " + n + " got no answer within " + ANSWER.toSeconds() + " s: the worker hangs; "
                    + "kill -9 its JVM (pid " + pid + ") as an operator would");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            out.println("   death watch: " + nextDeath(monitor));
        } else {
            throw new IllegalStateException("job " + n + " failed unexpectedly", failure);
        }
    }

    private static String nextDeath(ActorRef monitor) throws Exception {
        Terminated t = monitor.<Terminated>ask(Monitor.NEXT_DEATH, RESTART).get();
        return "Terminated(" + t.ref().processName() + "): " + t.status();
    }
}
