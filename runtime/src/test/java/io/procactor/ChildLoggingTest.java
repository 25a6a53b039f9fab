package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A child's SLF4J logging reaches the node's own backend (here Logback, as a user's would be) at
 * its level, with the child's name and pid as MDC; the child's stdout stays the program's output.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class ChildLoggingTest {
    private static final Duration T = Timeouts.seconds(30);
    private final Logger childLogger = (Logger) LoggerFactory.getLogger("procactor.child");
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    /** Logs a warning with an exception and prints a line of output in preStart, then replies to anything. */
    public static final class Chatty extends Actor {
        @Override
        protected void preStart() {
            LoggerFactory.getLogger(Chatty.class).debug("not sent: below the node's level");
            LoggerFactory.getLogger(Chatty.class).warn("careful: {} items", 42, new IllegalStateException("boom"));
            System.out.println("plain program output");
        }

        @Override
        protected void onReceive(Object message) {
            reply(message);
        }
    }

    @BeforeEach
    void attach() {
        events.start();
        childLogger.addAppender(events);
    }

    @AfterEach
    void detach() {
        childLogger.detachAppender(events);
    }

    @Test
    void childLogEventsArriveThroughTheNodesBackendWithNameAndPid() throws Exception {
        try (ActorSystem system = ActorSystem.create("logging")) {
            ActorProcess p = system.spawnProcess(Props.create(Chatty.class), "chatty");
            assertThat(p.ref().<String>ask("hi", T).get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("hi");
            await().atMost(T).until(() -> snapshot().stream().anyMatch(e -> e.getFormattedMessage().contains("plain program output")));
            await().atMost(T).until(() -> snapshot().stream().anyMatch(e -> e.getFormattedMessage().contains("IllegalStateException: boom")));

            List<ILoggingEvent> seen = snapshot();
            ILoggingEvent warning = seen.stream().filter(e -> e.getFormattedMessage().contains("careful: 42 items")).findFirst()
                    .orElseThrow(() -> new AssertionError("no warning from the child in " + messages(seen)));
            assertThat(warning.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(warning.getFormattedMessage()).startsWith("[chatty " + p.pid() + "] ");
            assertThat(warning.getMDCPropertyMap()).containsEntry("procactor.process", "chatty")
                    .containsEntry("procactor.pid", Long.toString(p.pid()));
            ILoggingEvent output = seen.stream().filter(e -> e.getFormattedMessage().contains("plain program output"))
                    .findFirst().orElseThrow();
            assertThat(output.getLevel()).as("stdout is program output").isEqualTo(ch.qos.logback.classic.Level.INFO);
            assertThat(messages(seen)).noneMatch(m -> m.contains("not sent"));
        }
    }

    private List<ILoggingEvent> snapshot() {
        synchronized (events) {
            return List.copyOf(events.list);
        }
    }

    private static List<String> messages(List<ILoggingEvent> events) {
        return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
