package io.procactor.testkit;

import io.procactor.Actor;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.Props;
import io.procactor.Terminated;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An actor in the node whose messages a test inspects, like Akka's {@code TestProbe}: hand its
 * {@link #ref()} to actors (in a message or a constructor argument; it works from child JVMs like
 * any ref), send with the probe as sender ({@link #send}), then expect what arrives.
 *
 * <pre>{@code
 * TestProbe probe = TestProbe.create(system);
 * probe.send(doubler, 21);
 * probe.expectMessage(42);                  // within the default timeout
 * probe.expectNoMessage(Duration.ofMillis(200));
 * }</pre>
 *
 * <p>Every message arrives in the probe's queue in order; each {@code expect...}/{@code receive...}
 * call takes the next one, or fails with an {@link AssertionError} saying what came instead or that
 * nothing came in time. Timeouts are bounds, multiplied by the test time factor ({@link Timeouts});
 * the methods without one use {@link #DEFAULT_TIMEOUT}.
 *
 * <p>Threads: thread-safe. Messages are taken by whichever thread calls an {@code expect} or
 * {@code receive} method (normally the test's one thread); {@link #ref()}, {@link #send},
 * {@link #reply} and {@link #lastSender()} may be called from any thread.
 */
public final class TestProbe {
    /** The bound of the methods that take none, before scaling: 10 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final LinkedBlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private final ActorRef ref;
    private volatile ActorRef lastSender;

    /** A message and its sender (null when it came without one). */
    private record Received(Object message, ActorRef sender) {
    }

    /** Asks the probe's actor to watch a ref; never leaves the node, so it need not be registered. */
    private record Watch(ActorRef target, CompletableFuture<Void> done) {
    }

    private TestProbe(ActorSystem system, String name) {
        this.name = name;
        this.ref = system.actorOf(Props.create(ProbeActor.class, queue), name);
    }

    /**
     * A probe in the node of {@code system}, named {@code name} (unique among the node's own actors).
     *
     * @throws IllegalArgumentException if the name is invalid or taken
     */
    public static TestProbe create(ActorSystem system, String name) {
        return new TestProbe(Objects.requireNonNull(system, "system"), Objects.requireNonNull(name, "name"));
    }

    /** A probe with a generated name ({@code probe-<n>}). */
    public static TestProbe create(ActorSystem system) {
        return create(system, "probe-" + java.util.UUID.randomUUID().toString().substring(0, 8));
    }

    /** The probe's address: give it to actors, in any process of the node. */
    public ActorRef ref() {
        return ref;
    }

    /** Sends {@code message} to {@code target} with the probe as sender, so replies come to the probe. */
    public void send(ActorRef target, Object message) {
        Objects.requireNonNull(target, "target").tell(message, ref);
    }

    /**
     * Replies to the sender of the last message taken from the queue, with the probe as sender.
     *
     * @throws IllegalStateException if no message was taken yet or it came without a sender
     */
    public void reply(Object message) {
        ActorRef to = lastSender;
        if (to == null) {
            throw new IllegalStateException("TestProbe " + name + " has no sender to reply to: take a message that has one "
                    + "first (expectMessage or receiveMessage), or use send(target, message)");
        }
        to.tell(message, ref);
    }

    /** The sender of the last message taken from the queue; null if none was taken or it had no sender. */
    public ActorRef lastSender() {
        return lastSender;
    }

    /** The next message, whatever it is, within {@link #DEFAULT_TIMEOUT}. */
    public Object receiveMessage() {
        return receiveMessage(DEFAULT_TIMEOUT);
    }

    /**
     * The next message, whatever it is.
     *
     * @throws AssertionError if none arrives within {@code max} (times the time factor)
     */
    public Object receiveMessage(Duration max) {
        return next(max, "a message").message();
    }

    /** {@link #expectMessage(Object, Duration)} within {@link #DEFAULT_TIMEOUT}. */
    public <T> T expectMessage(T expected) {
        return expectMessage(expected, DEFAULT_TIMEOUT);
    }

    /**
     * Takes the next message and checks that it equals {@code expected}.
     *
     * @return the message
     * @throws AssertionError if none arrives within {@code max} (times the time factor), or another does
     */
    public <T> T expectMessage(T expected, Duration max) {
        Received r = next(max, "[" + expected + "]");
        if (!Objects.equals(expected, r.message())) {
            throw new AssertionError("TestProbe " + name + " expected [" + expected + "] but received " + describe(r));
        }
        @SuppressWarnings("unchecked")
        T t = (T) r.message();
        return t;
    }

    /** {@link #expectMessage(Class, Duration)} within {@link #DEFAULT_TIMEOUT}. */
    public <T> T expectMessage(Class<T> type) {
        return expectMessage(type, DEFAULT_TIMEOUT);
    }

    /**
     * Takes the next message and checks that it is a {@code type}.
     *
     * @return the message, as a {@code type}
     * @throws AssertionError if none arrives within {@code max} (times the time factor), or one of another type does
     */
    public <T> T expectMessage(Class<T> type, Duration max) {
        Received r = next(max, "a message of type " + type.getName());
        if (!type.isInstance(r.message())) {
            throw new AssertionError("TestProbe " + name + " expected a message of type " + type.getName() + " but received "
                    + describe(r));
        }
        return type.cast(r.message());
    }

    /**
     * Checks that no message arrives for {@code duration} (times the time factor). This one waits the
     * whole time, so keep it short.
     *
     * @throws AssertionError naming the message if one arrives (or was already queued)
     */
    public void expectNoMessage(Duration duration) {
        Received r;
        try {
            r = queue.poll(Timeouts.scaled(duration).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("TestProbe " + name + " was interrupted while expecting no message", e);
        }
        if (r != null) {
            lastSender = r.sender();
            throw new AssertionError("TestProbe " + name + " expected no message for " + duration.toMillis() + " ms but received "
                    + describe(r));
        }
    }

    /**
     * Death watch by the probe: from now on it receives a {@link Terminated} when {@code target} is
     * gone (at once if it is gone already). Returns once the watch is in place.
     */
    public void watch(ActorRef target) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ref.tell(new Watch(Objects.requireNonNull(target, "target"), done));
        Duration max = Timeouts.scaled(DEFAULT_TIMEOUT);
        try {
            done.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("TestProbe " + name + " was interrupted while starting to watch " + target.path(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("TestProbe " + name + " could not watch " + target.path() + " within " + max.toMillis() + " ms", e);
        }
    }

    /** {@link #expectTerminated(ActorRef, Duration)} within {@link #DEFAULT_TIMEOUT}. */
    public Terminated expectTerminated(ActorRef target) {
        return expectTerminated(target, DEFAULT_TIMEOUT);
    }

    /**
     * Watches {@code target} (if not watched already: watching twice is harmless) and expects the
     * next message to be its {@link Terminated}, whose {@link Terminated#status()} says how it ended.
     * Call {@link #watch} before making the target stop when other messages may come first.
     *
     * @throws AssertionError if no Terminated of {@code target} arrives within {@code max} (times the time factor) or
     *     another message comes first
     */
    public Terminated expectTerminated(ActorRef target, Duration max) {
        watch(target);
        Received r = next(max, "Terminated(" + target.path() + ")");
        if (!(r.message() instanceof Terminated t) || !t.ref().equals(target)) {
            throw new AssertionError("TestProbe " + name + " expected Terminated(" + target.path() + ") but received " + describe(r));
        }
        return t;
    }

    private Received next(Duration max, String expected) {
        Duration bound = Timeouts.scaled(max);
        Received r;
        try {
            r = queue.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("TestProbe " + name + " was interrupted while waiting for " + expected, e);
        }
        if (r == null) {
            throw new AssertionError("TestProbe " + name + " expected " + expected + " within " + bound.toMillis()
                    + " ms but received nothing");
        }
        lastSender = r.sender();
        return r;
    }

    private static String describe(Received r) {
        Object m = r.message();
        return "[" + m + "]" + (m == null ? "" : " (" + m.getClass().getName() + ")")
                + (r.sender() == null ? " without sender" : " from " + r.sender().path());
    }

    @Override
    public String toString() {
        return "TestProbe[" + ref.path() + ", " + queue.size() + " queued]";
    }

    /**
     * The probe's actor: queues what it receives. Public only because the runtime creates actors
     * from public classes; it lives in the node alone (its argument cannot travel).
     *
     * <p>Threads: like every actor, one message at a time; the queue is thread-safe.
     */
    public static final class ProbeActor extends Actor {
        private final LinkedBlockingQueue<Received> queue;

        /**
         * Created by {@link TestProbe} only.
         *
         * @param queue where received messages go
         */
        public ProbeActor(LinkedBlockingQueue<?> queue) {
            @SuppressWarnings("unchecked")
            LinkedBlockingQueue<Received> q = (LinkedBlockingQueue<Received>) queue;
            this.queue = q;
        }

        @Override
        protected void onReceive(Object message) {
            if (message instanceof Watch w) {
                context().watch(w.target());
                w.done().complete(null);
            } else {
                queue.add(new Received(message, sender()));
            }
        }
    }
}
