package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.Actor;
import io.procactor.ActorRef;
import io.procactor.ActorTerminatedException;
import io.procactor.MailboxOverflowException;
import io.procactor.Props;
import io.procactor.RemoteActorException;
import io.procactor.SupervisorStrategy.Directive;
import io.procactor.SupervisorStrategy;
import io.procactor.internal.wire.Protocol;
import io.procactor.testkit.FaultActors;
import io.procactor.testkit.PoolActors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An actor cell on the test's thread (see {@link CellHarness}): supervision directives, restart
 * intensity on a manual clock, the lifecycle order of a restart, what an asker of a failing
 * message gets, and a full mailbox as its sender sees it. Children "a" and "b" of a
 * {@link FaultActors.Parent} are the actors under test; the parent's strategy supervises them.
 */
class ActorCellTest {
    private CellHarness cells;

    @AfterEach
    void noTaskThrewOnTheDispatcher() {
        if (cells != null) {
            cells.close();
        }
    }

    /** A Parent (top-level, under the guardian {@code guardian}) whose children a and b have {@code strategy}. */
    private ActorCell parent(String config, SupervisorStrategy strategy) {
        cells = new CellHarness(config);
        ActorCell parent = cells.root(Props.create(FaultActors.Parent.class, strategy.toText()), "parent");
        cells.run();
        assertThat(cells.core.actorNames()).containsExactlyInAnyOrder("a", "b");
        return parent;
    }

    private ActorCell parent(SupervisorStrategy strategy) {
        return parent("procactor.supervision.directive = stop", strategy);
    }

    private static SupervisorStrategy oneForOne(Directive d) {
        return SupervisorStrategy.oneForOne(d).withIntensity(3, Duration.ofMinutes(1));
    }

    private void tell(String actor, Object message) {
        cells.ref(actor).tell(message);
        cells.run();
    }

    private int ask(String actor, Object message) throws Exception {
        return cells.<Integer>ask(cells.ref(actor), message);
    }

    // ---- an actor that could not start ----

    /** Throws in its constructor: it never starts. */
    public static final class FailsToStart extends Actor {
        public FailsToStart() {
            throw new IllegalStateException("constructor failed on purpose");
        }

        @Override
        protected void onReceive(Object message) {
        }
    }

    @Test
    void anAskThatArrivesAfterAnActorFailedToStartGetsTheCauseNotNoSuchActor() {
        cells = new CellHarness("");
        cells.core.spawn(Props.create(FailsToStart.class), "bad");
        CompletableFuture<Object> queued = cells.ref("bad").ask(1, CellHarness.TIMEOUT);
        cells.run(); // the constructor throws: the queued ask is told why
        assertThat(cells.core.actorNames()).doesNotContain("bad");
        CompletableFuture<Object> after = cells.ref("bad").ask(2, CellHarness.TIMEOUT);
        cells.run();
        for (CompletableFuture<Object> ask : List.of(queued, after)) {
            assertThatThrownBy(() -> ask.get(CellHarness.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(io.procactor.ActorCreationException.class)
                    .hasMessageContaining("IllegalStateException").hasMessageContaining("constructor failed on purpose");
        }
    }

    @Test
    void aNameTakenAgainForgetsTheOldFailure() throws Exception {
        cells = new CellHarness("procactor.supervision.directive = stop");
        cells.core.spawn(Props.create(FailsToStart.class), "x");
        cells.run();
        cells.core.spawn(Props.create(FaultActors.Counter.class), "x");
        tell("x", "inc");
        assertThat(ask("x", "get")).isEqualTo(1);
        tell("x", "boom"); // the new actor crashes and stops: a later ask is not told of the old one's start
        CompletableFuture<Object> after = cells.ref("x").ask(1, CellHarness.TIMEOUT);
        cells.run();
        assertThatThrownBy(() -> after.get(CellHarness.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isNotInstanceOf(io.procactor.ActorCreationException.class).hasMessageContaining("no actor named [x]");
    }

    // ---- directives ----

    @Test
    void resumeKeepsTheInstanceAndItsState() throws Exception {
        parent(oneForOne(Directive.RESUME));
        tell("a", "inc");
        int instance = ask("a", "instance");
        tell("a", "boom");
        assertThat(ask("a", "instance")).isEqualTo(instance);
        assertThat(ask("a", "get")).isEqualTo(1);
    }

    @Test
    void restartReplacesOnlyTheFailingActorWithOneForOne() throws Exception {
        parent(oneForOne(Directive.RESTART));
        tell("a", "inc");
        tell("b", "inc");
        int instance = ask("a", "instance");
        tell("a", "boom");
        assertThat(ask("a", "instance")).as("a new instance").isNotEqualTo(instance);
        assertThat(ask("a", "get")).isZero();
        assertThat(ask("b", "get")).isEqualTo(1);
    }

    @Test
    void restartReplacesTheSiblingsTooWithAllForOne() throws Exception {
        parent(SupervisorStrategy.allForOne(Directive.RESTART).withIntensity(3, Duration.ofMinutes(1)));
        tell("a", "inc");
        tell("b", "inc");
        int b = ask("b", "instance");
        tell("a", "boom");
        assertThat(ask("a", "get")).isZero();
        assertThat(ask("b", "get")).isZero();
        assertThat(ask("b", "instance")).as("a new instance").isNotEqualTo(b);
    }

    @Test
    void stopStopsOnlyTheFailingActorWithOneForOneAndLaterAsksFailAtOnce() throws Exception {
        parent(oneForOne(Directive.STOP));
        tell("a", "boom");
        assertThat(cells.core.actorNames()).containsExactly("b");
        assertThatThrownBy(() -> ask("a", "get")).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ActorTerminatedException.class);
        assertThat(ask("b", "get")).isZero();
    }

    @Test
    void stopStopsTheSiblingsTooWithAllForOne() {
        parent(SupervisorStrategy.allForOne(Directive.STOP));
        tell("a", "boom");
        assertThat(cells.core.actorNames()).isEmpty();
    }

    @Test
    void escalateStopsTheActorAndFailsItsParentWhoseSupervisorDecides() {
        ActorCell parent = parent("procactor.supervision.directive = stop", oneForOne(Directive.ESCALATE));
        tell("a", "boom");
        assertThat(parent.isTerminated()).as("the guardian stopped the parent").isTrue();
        assertThat(cells.core.actorNames()).as("and its children with it").isEmpty();
    }

    @Test
    void anEscalationTheParentResumesKeepsTheParentAndItsOtherChildren() throws Exception {
        ActorCell parent = parent("procactor.supervision.directive = resume", oneForOne(Directive.ESCALATE));
        tell("b", "inc");
        tell("a", "boom");
        assertThat(parent.isTerminated()).isFalse();
        assertThat(cells.core.actorNames()).containsExactly("b");
        assertThat(ask("b", "get")).isEqualTo(1);
    }

    // ---- restart intensity ----

    @Test
    void exceedingTheRestartIntensityStopsTheActorAndEscalates() throws Exception {
        ActorCell parent = parent(SupervisorStrategy.oneForOne(Directive.RESTART).withIntensity(2, Duration.ofMinutes(1)));
        tell("a", "boom");
        tell("a", "inc");
        tell("a", "boom");
        assertThat(ask("a", "get")).as("restarted twice: fresh state").isZero();
        assertThat(parent.isTerminated()).isFalse();

        tell("a", "boom");
        assertThat(cells.core.actorNames()).doesNotContain("a");
        assertThat(parent.isTerminated()).as("escalated to the parent, which the guardian stops").isTrue();
    }

    @Test
    void restartsOlderThanTheWindowNoLongerCount() throws Exception {
        ActorCell parent = parent(SupervisorStrategy.oneForOne(Directive.RESTART).withIntensity(2, Duration.ofMinutes(1)));
        tell("a", "boom");
        tell("a", "boom");
        cells.ticker.advance(Duration.ofMinutes(1).plusMillis(1));
        tell("a", "boom");
        tell("a", "boom");
        assertThat(cells.core.actorNames()).contains("a");

        cells.ticker.advance(Duration.ofSeconds(59)); // the last two are still within a minute
        tell("a", "boom");
        assertThat(cells.core.actorNames()).doesNotContain("a");
        assertThat(parent.isTerminated()).isTrue();
    }

    // ---- lifecycle and askers ----

    @Test
    void aRestartRunsPreRestartOnTheOldInstanceThenPostRestartOnTheNewOne() {
        cells = new CellHarness("procactor.supervision { directive = restart }");
        List<String> calls = new CopyOnWriteArrayList<>();
        ActorCell cell = cells.root(Props.create(Lifecycle.class, calls), "lifecycle");
        cells.run();
        cell.enqueue(null, "boom", null);
        cells.run();
        assertThat(calls).containsExactly("new 1", "preStart 1",
                "preRestart 1 after boom on boom", "postStop 1",
                "new 2", "postRestart 2 after boom", "preStart 2");
        cell.requestStop();
        cells.run();
        assertThat(calls).endsWith("postStop 2");
    }

    @ParameterizedTest
    @EnumSource(Directive.class)
    void theAskerOfTheFailingMessageGetsTheExceptionWhateverTheDirective(Directive directive) {
        parent("procactor.supervision.directive = resume", oneForOne(directive));
        assertThatThrownBy(() -> ask("a", "boom")).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(RemoteActorException.class, e -> {
                    assertThat(e.remoteClassName()).isEqualTo(IllegalStateException.class.getName());
                    assertThat(e.getMessage()).contains("boom in instance");
                });
    }

    // ---- local death watch ----

    @Test
    void aLocalWatcherLearnsOnceThatItsSupervisorStoppedAnActorAsCrashed() throws Exception {
        ActorCell parent = parent(oneForOne(Directive.STOP));
        ActorRef watcher = cells.core.spawn(Props.create(FaultActors.Watcher.class), "watcher", parent);
        cells.run();
        assertThat(cells.<String>ask(watcher, cells.ref("a"))).startsWith("watching");
        tell("a", "boom");
        tell("a", "boom"); // a dead letter now: no second Terminated
        List<String> seen = cells.ask(watcher, "terminated?");
        assertThat(seen).containsExactly(cells.ref("a").path() + " CRASHED");
    }

    @Test
    void watchingAnActorThatIsGoneDeliversTerminatedAtOnce() throws Exception {
        ActorCell parent = parent(oneForOne(Directive.STOP));
        ActorRef watcher = cells.core.spawn(Props.create(FaultActors.Watcher.class), "watcher", parent);
        tell("a", "boom");
        cells.<String>ask(watcher, cells.ref("a"));
        List<String> seen = cells.ask(watcher, "terminated?");
        assertThat(seen).containsExactly(cells.ref("a").path() + " NORMAL");
    }

    // ---- a full mailbox, as its sender sees it ----

    @Test
    void aFullMailboxFailsAnAskAtOnceAndCountsADeadLetter() throws Exception {
        parent("procactor.mailbox { capacity = 2, overflow = fail }", oneForOne(Directive.RESTART));
        cells.ref("a").tell("inc");
        cells.ref("a").tell("inc");
        CompletableFuture<Object> refused = cells.ref("a").ask("get", CellHarness.TIMEOUT);
        assertThat(cells.core.deadLetterCounts()).as("refused before the cell ran").containsEntry(DeadLetterReason.MAILBOX_FULL.key(), 1L);
        cells.run(); // the refusal completes the future on the dispatcher, which is the test's
        assertThatThrownBy(() -> refused.get(CellHarness.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .hasCauseInstanceOf(MailboxOverflowException.class);
        assertThat(ask("a", "get")).isEqualTo(2);
    }

    /** Keeps what it receives, for the test to read. */
    public static final class Recorder extends Actor {
        static final List<Object> RECEIVED = new CopyOnWriteArrayList<>();

        @Override
        protected void onReceive(Object message) {
            RECEIVED.add(message);
        }
    }

    @Test
    void aFullMailboxAnswersAPoolBatchWithAFailurePerTaskInsteadOfDroppingIt() throws Exception {
        parent("procactor.mailbox { capacity = 2, overflow = fail }", oneForOne(Directive.RESTART));
        Recorder.RECEIVED.clear();
        ActorRef pool = cells.core.spawn(Props.create(Recorder.class), "pool-results");
        cells.ref("a").tell("inc");
        cells.ref("a").tell("inc");

        cells.ref("a").tell(new Protocol.Batch(7, List.of(1, 2)), pool);
        cells.run();

        assertThat(Recorder.RECEIVED).singleElement().isInstanceOfSatisfying(Protocol.BatchResult.class, r -> {
            assertThat(r.id()).isEqualTo(7);
            assertThat(r.results()).containsExactly(new Protocol.MailboxFull(cells.ref("a").path(), 2),
                    new Protocol.MailboxFull(cells.ref("a").path(), 2));
        });
    }

    @Test
    void aFullMailboxWithDropOldestLosesTheOldestMessage() throws Exception {
        parent("procactor.mailbox { capacity = 2, overflow = drop-oldest }", oneForOne(Directive.RESTART));
        ActorRef a = cells.ref("a");
        a.tell("inc");
        a.tell("inc");
        CompletableFuture<Integer> count = a.ask("get", CellHarness.TIMEOUT);
        cells.run();
        assertThat(count.get(CellHarness.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1);
    }

    // ---- the dispatcher check itself ----

    @Test
    void whatEscapesACellOnTheDispatcherFailsTheTest() {
        cells = new CellHarness("");
        ActorCell cell = cells.root(Props.create(FailsLikeTheJvm.class), "jvm-error");
        cell.enqueue(null, "internal", null);
        cells.run();
        CellHarness h = cells;
        cells = null;
        assertThatThrownBy(h::close).isInstanceOf(AssertionError.class)
                .hasMessageContaining("threw on the executor").cause().isInstanceOf(InternalError.class);
    }

    /** Records its lifecycle calls, numbered by instance, in the list it is given. */
    public static final class Lifecycle extends Actor {
        private final List<String> calls;
        private final int instance;

        public Lifecycle(List<String> calls) {
            this.calls = calls;
            this.instance = (int) calls.stream().filter(c -> c.startsWith("new ")).count() + 1;
            calls.add("new " + instance);
        }

        @Override
        protected void onReceive(Object message) {
            throw new IllegalStateException(String.valueOf(message));
        }

        @Override
        protected void preStart() {
            calls.add("preStart " + instance);
        }

        @Override
        protected void postStop() {
            calls.add("postStop " + instance);
        }

        @Override
        protected void preRestart(Throwable reason, Object message) throws Exception {
            calls.add("preRestart " + instance + " after " + reason.getMessage() + " on " + message);
            super.preRestart(reason, message);
        }

        @Override
        protected void postRestart(Throwable reason) throws Exception {
            calls.add("postRestart " + instance + " after " + reason.getMessage());
            super.postRestart(reason);
        }
    }

    /**
     * Throws the JVM's own kind of error on "internal", which the cell does not take as the actor's
     * failure (every VirtualMachineError but a StackOverflowError goes up to the dispatcher); answers
     * anything else with itself.
     */
    public static final class FailsLikeTheJvm extends Actor {
        @Override
        protected void onReceive(Object message) {
            if ("internal".equals(message)) {
                throw new InternalError("simulated");
            }
            reply(message);
        }
    }

    @Test
    void theAskerOfAMessageThatHitsAJvmErrorIsToldBeforeTheErrorGoesUp() {
        cells = new CellHarness("");
        cells.core.spawn(Props.create(FailsLikeTheJvm.class), "worker");
        CompletableFuture<Object> answer = cells.ref("worker").ask("internal", CellHarness.TIMEOUT);
        cells.run();

        assertThatThrownBy(() -> answer.get(CellHarness.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(RemoteActorException.class,
                        e -> assertThat(e.remoteClassName()).isEqualTo(InternalError.class.getName()));
        CellHarness h = cells;
        cells = null;
        assertThatThrownBy(h::close).hasMessageContaining("threw on the executor").cause().isInstanceOf(InternalError.class);
    }

    @Test
    void aPoolBatchWhoseTaskHitsAJvmErrorIsStillAnsweredAndTheErrorGoesUp() throws Exception {
        cells = new CellHarness("");
        cells.core.spawn(Props.create(FailsLikeTheJvm.class), "worker");
        CompletableFuture<Object> answer = cells.ref("worker").ask(new Protocol.Batch(8, List.of("a", "internal", "b")),
                CellHarness.TIMEOUT);
        cells.run();

        Protocol.BatchResult r = (Protocol.BatchResult) answer.get(CellHarness.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r.results().get(0)).isEqualTo("a");
        for (Object failed : r.results().subList(1, 3)) { // the item and the ones it left undone
            assertThat(failed).isInstanceOfSatisfying(Protocol.Failure.class,
                    f -> assertThat(f.className()).isEqualTo(InternalError.class.getName()));
        }
        CellHarness h = cells;
        cells = null;
        assertThatThrownBy(h::close).hasMessageContaining("threw on the executor").cause().isInstanceOf(InternalError.class);
    }

    @Test
    void aStackOverflowIsTheActorsFailureItsAskerGetsItAndTheActorGoesOn() throws Exception {
        cells = new CellHarness("procactor.supervision.directive = restart");
        cells.core.spawn(Props.create(PoolActors.Recursing.class), "recursing");
        cells.run();

        assertThatThrownBy(() -> cells.ask(cells.ref("recursing"), "deep")).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(RemoteActorException.class,
                        e -> assertThat(e.remoteClassName()).isEqualTo(StackOverflowError.class.getName()));
        assertThat(cells.<String>ask(cells.ref("recursing"), "still there?")).isEqualTo("still there?");
    }

    @Test
    void aPoolTaskThatOverflowsTheStackFailsAloneAndItsBatchIsAnswered() throws Exception {
        cells = new CellHarness("");
        cells.core.spawn(Props.create(PoolActors.Recursing.class), "worker");

        Protocol.BatchResult r = cells.ask(cells.ref("worker"), new Protocol.Batch(7, List.of("deep", "fine")));

        assertThat(r.results()).hasSize(2);
        assertThat(r.results().get(0)).isInstanceOfSatisfying(Protocol.Failure.class,
                f -> assertThat(f.className()).isEqualTo(StackOverflowError.class.getName()));
        assertThat(r.results().get(1)).isEqualTo("fine");
    }

    /** Creates a Counter "a"; its supervisorStrategy() throws. */
    public static final class BrokenStrategyParent extends Actor {
        @Override
        protected void preStart() {
            context().actorOf(Props.create(FaultActors.Counter.class), "a");
        }

        @Override
        protected SupervisorStrategy supervisorStrategy() {
            throw new IllegalStateException("strategy broken on purpose");
        }

        @Override
        protected void onReceive(Object message) {
            unhandled(message);
        }
    }

    @Test
    void aSupervisorStrategyThatThrowsLeavesTheChildToTheDefaultStrategy() throws Exception {
        cells = new CellHarness("");
        cells.core.spawn(Props.create(BrokenStrategyParent.class), "parent");
        cells.run();
        tell("a", "inc");

        assertThatThrownBy(() -> ask("a", "boom")).isInstanceOf(ExecutionException.class);
        assertThat(ask("a", "get")).as("restarted (the default strategy): a new instance counts from 0").isZero();
    }

    /** Creates a Counter "a" and resumes it on failure; records each call of its supervisorStrategy() and of preStart. */
    public static final class CountingStrategyParent extends Actor {
        static final List<String> CALLS = new CopyOnWriteArrayList<>();

        @Override
        protected void preStart() {
            CALLS.add("preStart");
            context().actorOf(Props.create(FaultActors.Counter.class), "a");
        }

        @Override
        protected SupervisorStrategy supervisorStrategy() {
            CALLS.add("supervisorStrategy");
            return SupervisorStrategy.oneForOne(Directive.RESUME);
        }

        @Override
        protected void postRestart(Throwable reason) {
            CALLS.add("postRestart"); // its child lives on: not created again
        }

        @Override
        protected void onReceive(Object message) {
            if ("fail".equals(message)) {
                throw new IllegalStateException("parent fails on purpose");
            }
            unhandled(message);
        }
    }

    @Test
    void aParentsSupervisorStrategyIsReadOnceBeforePreStartNotOnItsChildrensThreadsAtEachFailure() throws Exception {
        CountingStrategyParent.CALLS.clear();
        cells = new CellHarness("");
        cells.core.spawn(Props.create(CountingStrategyParent.class), "parent");
        cells.run();
        tell("a", "inc");

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> ask("a", "boom")).isInstanceOf(ExecutionException.class);
        }

        assertThat(ask("a", "get")).as("resumed three times by the parent's strategy: the count is kept").isEqualTo(1);
        assertThat(CountingStrategyParent.CALLS).containsExactly("supervisorStrategy", "preStart");

        assertThatThrownBy(() -> ask("parent", "fail")).isInstanceOf(ExecutionException.class);
        cells.run(); // the guardian restarts it: the new instance's strategy is read before its postRestart
        assertThat(CountingStrategyParent.CALLS).containsExactly("supervisorStrategy", "preStart", "supervisorStrategy", "postRestart");
    }

    /** Its constructor throws. */
    public static final class Unbuildable extends io.procactor.Actor {
        public Unbuildable() {
            throw new IllegalStateException("no database at [db.example:5432]");
        }

        @Override
        protected void onReceive(Object message) {
            reply(message);
        }
    }

    @Test
    void anAskerOfAnActorThatCannotBeCreatedGetsTheConstructorsExceptionWithItsRemoteStackTrace() {
        cells = new CellHarness("");
        cells.core.spawn(Props.create(Unbuildable.class), "unbuildable");
        CompletableFuture<Object> answer = cells.ref("unbuildable").ask("hello", CellHarness.TIMEOUT);
        cells.run(); // creation fails; the waiting ask is answered with why
        assertThatThrownBy(() -> answer.get(CellHarness.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .cause()
                .isInstanceOf(io.procactor.ActorCreationException.class)
                .hasMessageContaining("could not be created")
                .hasMessageContaining("IllegalStateException: no database at [db.example:5432]")
                .cause()
                .isInstanceOf(io.procactor.RemoteActorException.class)
                .satisfies(r -> assertThat(((io.procactor.RemoteActorException) r).remoteStackTrace())
                        .contains("Unbuildable.<init>"));
    }
}
