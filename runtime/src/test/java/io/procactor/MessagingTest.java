package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** tell and ask between the node and child JVMs, and between children; one system for the class. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class MessagingTest {
    private static final Duration ASK = Timeouts.seconds(20);
    /** For the first ask to a new process: JVM start-up on a busy 2-core machine can take many seconds. */
    private static final Duration FIRST_ASK = Timeouts.seconds(60);

    /** A message class that nobody registered. */
    public record NotRegistered(int value) {
    }

    private static ActorSystem system;
    private static ActorProcess doubler;
    private static ActorProcess forwarder;
    private static ActorProcess doublerB;
    private static ActorProcess printer;

    @BeforeAll
    static void startSystem() {
        system = ActorSystem.create("messaging");
        doubler = system.spawnProcess(Props.create(TestActors.Doubler.class), "doubler");
        forwarder = system.spawnProcess(Props.create(TestActors.Forwarder.class), "fwd-a");
        doublerB = system.spawnProcess(Props.create(TestActors.Doubler.class), "doubler-b");
        printer = system.spawnProcess(Props.create(TestActors.Printer.class), "printer");
        // every process serves before the first test, so tests measure messaging, not JVM start-up
        CompletableFuture.allOf(doubler.ref().ask(1, FIRST_ASK), doublerB.ref().ask(1, FIRST_ASK),
                forwarder.ref().ask(doublerB.ref(), FIRST_ASK), printer.ref().ask("ready", FIRST_ASK)).join();
    }

    @AfterAll
    static void closeSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void askReturnsTheReply() throws Exception {
        Integer reply = doubler.ref().<Integer>ask(21, ASK).get(20, TimeUnit.SECONDS);

        assertThat(reply).isEqualTo(42);
        String whoami = doubler.ref().<String>ask("whoami", ASK).get(20, TimeUnit.SECONDS);
        assertThat(whoami).isEqualTo("doubler " + doubler.pid() + " " + system.pid());
    }

    @Test
    void tellWithANodeLocalSenderDeliversTheReplyToIt() throws Exception {
        CompletableFuture<Object> received = new CompletableFuture<>();
        ActorRef collector = system.actorOf(Props.create(TestActors.Collector.class, received), "collector-" + UUID.randomUUID());

        doubler.ref().tell(50, collector);

        assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo(100);
        assertThat(collector.processName()).isEqualTo("node");
        assertThat(collector.path()).startsWith("procactor://messaging/node/collector-");
    }

    @Test
    void askTimesOutNamingTargetMessageTypeAndTimeout() throws Exception {
        doubler.ref().ask(1, ASK).get(20, TimeUnit.SECONDS); // the process is up: the timeout measures only the ask
        Duration timeout = Duration.ofMillis(700);
        long start = System.nanoTime();
        CompletableFuture<Object> f = doubler.ref().ask("silent", timeout);

        Throwable failure = failureOf(f, 10);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(failure).isInstanceOf(AskTimeoutException.class)
                .hasMessageContaining(doubler.ref().path())
                .hasMessageContaining("java.lang.String")
                .hasMessageContaining("700 ms");
        AskTimeoutException timedOut = (AskTimeoutException) failure;
        assertThat(timedOut.target()).isEqualTo(doubler.ref().path());
        assertThat(timedOut.timeout()).isEqualTo(timeout);
        assertThat(elapsedMillis).isBetween(timeout.toMillis(), timeout.toMillis() + 2000);
    }

    @Test
    void anExceptionInTheActorFailsTheAskAndTheActorGoesOn() throws Exception {
        Throwable failure = failureOf(doubler.ref().ask(-1, ASK), 20);

        assertThat(failure).isInstanceOf(RemoteActorException.class);
        RemoteActorException remote = (RemoteActorException) failure;
        assertThat(remote.remoteClassName()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(remote.remoteMessage()).contains("negative input");
        assertThat(remote.getMessage()).contains("negative input").contains(doubler.ref().path());
        assertThat(remote.remoteStackTrace()).contains("Doubler.onReceive");
        assertThat(remote.actorPath()).isEqualTo(doubler.ref().path());

        assertThat(doubler.ref().<Integer>ask(4, ASK).get(20, TimeUnit.SECONDS)).isEqualTo(8);
        assertThat(doubler.isAlive()).isTrue();
    }

    @Test
    void askingForAnUnhandledMessageFailsAtOnce() throws Exception {
        doubler.ref().ask(1, ASK).get(20, TimeUnit.SECONDS);
        long start = System.nanoTime();

        Throwable failure = failureOf(doubler.ref().ask(2.5, Timeouts.seconds(30)), 20);

        assertThat(failure).isInstanceOf(RemoteActorException.class)
                .hasMessageContaining("does not handle")
                .hasMessageContaining("java.lang.Double");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
    }

    @Test
    void anUnregisteredMessageClassFailsAtOnceNamingTheClassAndTheFix() throws Exception {
        doubler.ref().ask(1, ASK).get(20, TimeUnit.SECONDS); // connected: the error comes from encoding

        Throwable failure = failureOf(doubler.ref().ask(new NotRegistered(1), Duration.ofSeconds(30)), 5);

        assertThat(failure).isInstanceOf(MessageSerializationException.class)
                .hasMessageContaining(NotRegistered.class.getName())
                .hasMessageContaining("procactor.serialization.classes");
        assertThatThrownBy(() -> doubler.ref().tell(new NotRegistered(2)))
                .isInstanceOf(MessageSerializationException.class)
                .hasMessageContaining(NotRegistered.class.getName())
                .hasMessageContaining("procactor.serialization.classes");
        // also inside a registered container
        assertThatThrownBy(() -> doubler.ref().tell(new ArrayList<>(List.of(new NotRegistered(3)))))
                .isInstanceOf(MessageSerializationException.class)
                .hasMessageContaining(NotRegistered.class.getName());

        assertThat(doubler.ref().<Integer>ask(5, ASK).get(20, TimeUnit.SECONDS)).isEqualTo(10);
    }

    @Test
    void anUnregisteredMessageToAProcessThatIsNotConnectedYetFailsAtOnce() throws Exception {
        ActorProcess p = system.process(Props.create(TestActors.Doubler.class), "not-started-" + UUID.randomUUID().toString().substring(0, 8));

        Throwable failure = failureOf(p.ref().ask(new NotRegistered(1), Duration.ofSeconds(30)), 5);

        assertThat(failure).isInstanceOf(MessageSerializationException.class)
                .hasMessageContaining(NotRegistered.class.getName())
                .hasMessageContaining("procactor.serialization.classes");
    }

    @Test
    void aChildAsksAnotherChildThroughARefItWasSent() throws Exception {
        forwarder.ref().tell(doublerB.ref());

        String reply = forwarder.ref().<String>ask(5, ASK).get(20, TimeUnit.SECONDS);

        assertThat(reply).isEqualTo("via fwd-a: 10");
    }

    @Test
    void aChildAsksAnActorOfTheNode() throws Exception {
        ActorRef nodeDoubler = system.actorOf(Props.create(TestActors.Doubler.class), "node-doubler-" + UUID.randomUUID());
        forwarder.ref().tell(nodeDoubler);

        assertThat(forwarder.ref().<String>ask(7, ASK).get(20, TimeUnit.SECONDS)).isEqualTo("via fwd-a: 14");
        // a remote failure travels back through two processes
        assertThat(forwarder.ref().<String>ask(-7, ASK).get(20, TimeUnit.SECONDS))
                .startsWith("failed: ").contains("negative input");
    }

    @Test
    void aThousandAsksThroughTheForwarderAllGetTheirOwnAnswer() throws Exception {
        forwarder.ref().tell(doublerB.ref());
        List<CompletableFuture<String>> replies = IntStream.range(0, 1000)
                .mapToObj(i -> forwarder.ref().<String>ask(i, Duration.ofSeconds(30)))
                .toList();

        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        for (int i = 0; i < replies.size(); i++) {
            assertThat(replies.get(i).join()).isEqualTo("via fwd-a: " + (2 * i));
        }
    }

    @Test
    void tellsFromOneSenderArriveInOrderAndNoneIsLost() throws Exception {
        // spawned here so the first tells wait for the connection and are flushed before later ones
        ActorProcess recorder = system.spawnProcess(Props.create(TestActors.Recorder.class), "recorder");
        try {
            for (int i = 0; i < 10_000; i++) {
                recorder.ref().tell(i);
            }

            List<Integer> seen = recorder.ref().<List<Integer>>ask("report", FIRST_ASK).get(60, TimeUnit.SECONDS);

            assertThat(seen).hasSize(10_000);
            assertThat(seen).isEqualTo(IntStream.range(0, 10_000).boxed().toList());
        } finally {
            recorder.terminate();
            assertThat(recorder.join(Timeouts.seconds(20))).isTrue();
        }
    }

    @Test
    void aChildsStdoutLineAppearsInTheNodeLogPrefixedWithNameAndPid() throws Exception {
        Logger childLog = (Logger) LoggerFactory.getLogger("procactor.child");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        childLog.addAppender(appender);
        try {
            String line = "hello from the child " + UUID.randomUUID();
            String errLine = "complaint from the child " + UUID.randomUUID();

            assertThat(printer.ref().<String>ask(line, ASK).get(20, TimeUnit.SECONDS)).isEqualTo("printed");
            assertThat(printer.ref().<String>ask("err:" + errLine, ASK).get(20, TimeUnit.SECONDS)).isEqualTo("printed");

            String prefix = "[printer " + printer.pid() + "] ";
            await().atMost(Timeouts.seconds(10)).untilAsserted(() -> {
                assertThat(messages(appender)).contains(prefix + line, prefix + errLine);
            });
            assertThat(event(appender, prefix + line).getLevel()).isEqualTo(Level.INFO);
            assertThat(event(appender, prefix + errLine).getLevel()).isEqualTo(Level.WARN);
        } finally {
            childLog.detachAppender(appender);
        }
    }

    @Test
    void aChildsLogLineKeepsItsLevelInTheNodeLog() throws Exception {
        Logger childLog = (Logger) LoggerFactory.getLogger("procactor.child");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        childLog.addAppender(appender);
        try {
            String text = "logged by the child " + UUID.randomUUID();

            assertThat(printer.ref().<String>ask("warn:" + text, ASK).get(20, TimeUnit.SECONDS)).isEqualTo("printed");

            String prefix = "[printer " + printer.pid() + "] ";
            await().atMost(Timeouts.seconds(10)).untilAsserted(() ->
                    assertThat(messages(appender)).anyMatch(m -> m.startsWith(prefix) && m.endsWith(" - " + text)));
            ILoggingEvent e;
            synchronized (appender) {
                e = appender.list.stream().filter(x -> x.getFormattedMessage().endsWith(" - " + text)).findFirst().orElseThrow();
            }
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).as("the level is not repeated in the text")
                    .doesNotContain("WARN").contains("TestActors$Printer");
        } finally {
            childLog.detachAppender(appender);
        }
    }

    private static ILoggingEvent event(ListAppender<ILoggingEvent> appender, String message) {
        synchronized (appender) {
            return appender.list.stream().filter(e -> e.getFormattedMessage().equals(message)).findFirst().orElseThrow();
        }
    }

    private static List<String> messages(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) { // AppenderBase.doAppend holds this lock while appending
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The failure the future completes with, within {@code seconds}; fails the test if it succeeds instead. */
    static Throwable failureOf(CompletableFuture<?> f, long seconds) throws Exception {
        try {
            Object value = f.get(seconds, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
