package io.procactor.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.Actor;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.ActorTerminatedException;
import io.procactor.CurrentProcess;
import io.procactor.ExitStatus;
import io.procactor.FunctionProcess;
import io.procactor.MessageSerializationException;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.Props;
import io.procactor.RemoteActorException;
import io.procactor.ReplyTypeException;
import io.procactor.Task;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Functions as tasks and processes across real child JVMs: pool.map of a method reference,
 * system.run with its result and exit status, a function that throws, and a function the child
 * refuses (while it keeps serving). In this package so the refusal test can switch off the
 * sender's own check and show that the receiving JVM refuses by itself.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class FunctionsAcrossProcessesTest {
    private static final Duration T = Timeouts.seconds(60);
    private static ActorSystem system;
    private static Pool pool;

    static int square(int x) {
        return x * x;
    }

    static long pidPlus(long n) {
        return ProcessHandle.current().pid() + n;
    }

    static String greet(String who, int times) {
        return (who + " ").repeat(times).strip();
    }

    static void fail(String why) {
        throw new IllegalStateException(why);
    }

    static void exit(int code) {
        System.exit(code);
    }

    static String whoAmI(int n) {
        return CurrentProcess.name() + " " + CurrentProcess.pid() + " " + CurrentProcess.parentPid().orElse(-1) + " " + n;
    }

    /** Runs until its process ends: only a signal stops it. */
    static void forever() {
        try {
            new java.util.concurrent.CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Not registered: no process can receive it. */
    record Parcel(int k) {
    }

    /** Not registered: its functions are refused. */
    static final class Stranger {
        static Task.Fn<Integer, Integer> negate() {
            return x -> -x;
        }
    }

    /** Replies with the text of what it got. */
    public static final class Echo extends Actor {
        @Override
        protected void onReceive(Object message) {
            reply(String.valueOf(message));
        }
    }

    @BeforeAll
    static void start() {
        system = ActorSystem.builder("functions").register(FunctionsAcrossProcessesTest.class).build();
        pool = system.pool(PoolOptions.size(1).name("fn"));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void poolMapOfAMethodReferenceRunsInTheWorkerAndKeepsInputOrder() throws Exception {
        List<Integer> squares = pool.map(FunctionsAcrossProcessesTest::square, List.of(1, 2, 3, 4, 5), T);
        long workerPid = pool.workers().get(0).pid();

        assertThat(squares).containsExactly(1, 4, 9, 16, 25);
        assertThat(pool.submit(FunctionsAcrossProcessesTest::pidPlus, 0L).get(T.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(workerPid).isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void aCapturingLambdaTakesItsValuesAlongAndAThrowingOneFailsOnlyItsOwnInput() throws Exception {
        int offset = 100;
        List<Integer> shifted = pool.map(x -> x + offset, List.of(1, 2, 3), T);

        assertThat(shifted).containsExactly(101, 102, 103);
        assertThatThrownBy(() -> pool.map(x -> 10 / x, List.of(1, 0, 2), T))
                .isInstanceOf(RemoteActorException.class).hasMessageContaining("java.lang.ArithmeticException");
    }

    @Test
    void aPoolOfActorsTakesMessagesNotFunctions() {
        try (Pool actors = system.pool(Props.create(Echo.class), PoolOptions.size(1).name("echoes"))) {
            assertThatThrownBy(() -> actors.map(FunctionsAcrossProcessesTest::square, List.of(1), T))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("runs actor [" + Echo.class.getName() + "]: it takes messages, not functions")
                    .hasMessageContaining("system.pool(PoolOptions.size(n))");
        }
    }

    @Test
    void aFunctionTheChildDidNotRegisterIsRefusedThereAndTheWorkerGoesOn() throws Exception {
        long workerPid = pool.map(FunctionsAcrossProcessesTest::pidPlus, List.of(0L), T).get(0);
        LambdaCodec.checkOnWrite = false; // as a forging peer would: only the receiver's check stands
        try {
            assertThatThrownBy(() -> pool.submit(Stranger.negate(), 1).get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RemoteActorException.class)
                    .hasMessageContaining("java.lang.SecurityException")
                    .hasMessageContaining("refused: it is written in class [" + Stranger.class.getName() + "], which is not registered");
        } finally {
            LambdaCodec.checkOnWrite = true;
        }
        assertThat(pool.map(FunctionsAcrossProcessesTest::pidPlus, List.of(0L), T)).containsExactly(workerPid);
        // and with the sender's check on, the sender refuses first, naming what to register
        assertThatThrownBy(() -> pool.submit(Stranger.negate(), 1)).isInstanceOf(MessageSerializationException.class)
                .hasMessageContaining("register(Stranger.class)");
    }

    @Test
    void runGivesTheResultAndTheProcessExitsWithZero() throws Exception {
        FunctionProcess<String> p = system.run(FunctionsAcrossProcessesTest::greet, "hi", 3);

        assertThat(p.result().get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("hi hi hi");
        assertThat(p.join(T)).isTrue();
        assertThat(p.name()).startsWith("greet-");
        ExitStatus status = p.exitStatus().orElseThrow();
        assertThat(status.exitCode()).isZero();
        assertThat(status.reason()).isEqualTo(ExitStatus.Reason.NORMAL);
    }

    @Test
    void aFunctionThatThrowsFailsTheResultAndTheProcessExitsWithOne() throws Exception {
        FunctionProcess<Void> p = system.process(FunctionsAcrossProcessesTest::fail, "boom");
        assertThat(p.isAlive()).isFalse();
        p.start();

        assertThatThrownBy(() -> p.result().get(T.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RemoteActorException.class)
                .hasMessageContaining("java.lang.IllegalStateException").hasMessageContaining("boom");
        assertThat(p.join(T)).isTrue();
        ExitStatus status = p.exitStatus().orElseThrow();
        assertThat(status.exitCode()).isEqualTo(ExitStatus.TASK_FAILED_CODE);
        assertThat(status.reason()).isEqualTo(ExitStatus.Reason.CRASHED);
        assertThat(status.detail()).contains("IllegalStateException: boom");
    }

    @Test
    void aTypedAskChecksTheReplyType() throws Exception {
        ActorRef echo = system.actorOf(Props.create(Echo.class), "echo");

        assertThat(echo.ask(5, String.class, T).get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("5");
        assertThatThrownBy(() -> echo.ask(5, int.class, T).get(T.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ReplyTypeException.class)
                .hasMessageContaining("expected a reply of type [int] but got one of type [java.lang.String]");
    }

    @Test
    void aCallThatCannotLeaveTheNodeFailsTheResultAndEndsItsProcessInsteadOfLeavingItWaiting() throws Exception {
        // the argument's own class is registered (the call-time check passes); what it holds is not
        List<Parcel> parcels = new ArrayList<>(List.of(new Parcel(1)));
        FunctionProcess<Integer> p = system.run((Task.Fn<List<Parcel>, Integer>) List::size, parcels);

        assertThatThrownBy(() -> p.result().get(T.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(MessageSerializationException.class)
                .hasMessageContaining(Parcel.class.getName());
        assertThat(p.join(T)).as("the process waited for a call that could never come").isTrue();
        assertThat(p.exitStatus().orElseThrow().reason()).isEqualTo(ExitStatus.Reason.TERMINATED);
    }

    @Test
    void aFunctionKnowsItsProcessNameAndPidAndTheNodeIsTheMainProcess() throws Exception {
        FunctionProcess<String> p = system.run(FunctionsAcrossProcessesTest::whoAmI, 7);

        assertThat(p.result().get(T.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(p.name() + " " + p.pid() + " " + ProcessHandle.current().pid() + " 7");
        assertThat(p.join(T)).isTrue();
        assertThat(CurrentProcess.name()).isEqualTo("MainProcess");
        assertThat(CurrentProcess.parentPid()).isEmpty();
    }

    @Test
    void terminateEndsARunningFunctionWithSigtermAsPythonDoes() throws Exception {
        FunctionProcess<Void> p = system.run(FunctionsAcrossProcessesTest::forever);
        p.ready().get(T.toMillis(), TimeUnit.MILLISECONDS);

        p.terminate();

        assertThat(p.join(T)).isTrue();
        ExitStatus status = p.exitStatus().orElseThrow();
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(-15); // not -9: not the grace period's kill
        assertThat(status.reason()).isEqualTo(ExitStatus.Reason.TERMINATED);
        assertThatThrownBy(() -> p.result().getNow(null)).cause().isInstanceOf(ActorTerminatedException.class);
    }

    @Test
    void afterJoinTheResultIsSettledAlsoWhenTheFunctionExitedTheProcessItself() throws Exception {
        FunctionProcess<Void> p = system.run(FunctionsAcrossProcessesTest::exit, 3);

        assertThat(p.join(T)).isTrue();
        assertThat(p.result()).as("Python's p.join(): afterwards everything about the process is known").isDone();
        assertThatThrownBy(() -> p.result().getNow(null)).cause().isInstanceOf(ActorTerminatedException.class);
        assertThat(p.exitStatus().orElseThrow().exitCode()).isEqualTo(3);
    }

    @Test
    void mapRefusesANullOrNegativeArgumentBeforeQueueingAnyWork() {
        long before = pool.completedTasks();

        assertThatThrownBy(() -> pool.map(FunctionsAcrossProcessesTest::square, null, T))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("inputs is null; give a list");
        assertThatThrownBy(() -> pool.map(FunctionsAcrossProcessesTest::square, List.of(1), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout is null");
        assertThatThrownBy(() -> pool.map(FunctionsAcrossProcessesTest::square, List.of(1), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout [PT-1S] is negative");
        assertThatThrownBy(() -> pool.mapUnordered(FunctionsAcrossProcessesTest::square, List.of(1), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.queued()).isZero();
        assertThat(pool.completedTasks()).isEqualTo(before);
    }

    @Test
    void aCapturedValueOfAnUnregisteredClassFailsPoolMapAtTheCall() {
        Parcel parcel = new Parcel(2);

        assertThatThrownBy(() -> pool.map(x -> x + parcel.k(), List.of(1), T))
                .isInstanceOf(MessageSerializationException.class).hasMessageContaining("register(Parcel.class)");
    }

    @Test
    void aFunctionPoolRefusesAPlainValueAtTheCallSayingToPassTheFunction() {
        assertThatThrownBy(() -> pool.submit(42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pool [fn] runs functions, and a task of type [java.lang.Integer] is not one")
                .hasMessageContaining("pool.map(Main::f, inputs, timeout)");
        assertThatThrownBy(() -> pool.map(List.of(1, 2), T)).isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.queued()).isZero();
    }
}
