package io.procactor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.procactor.ActorSystem;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension itself, run on small test classes through JUnit's EngineTestKit: what it gives,
 * what it closes, and that it fails a test whose process outlives it. Those classes are nested,
 * so surefire does not run them on their own, and they run only when this test launches them.
 */
class ProcactorExtensionTest {
    private static volatile boolean launched;
    private static final AtomicReference<ActorSystem> given = new AtomicReference<>();
    private static final AtomicReference<ProcessHandle> leaked = new AtomicReference<>();

    private static Events run(Class<?> testClass) {
        launched = true;
        try {
            return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().testEvents();
        } finally {
            launched = false;
        }
    }

    @ProcactorTest(name = "leaky", exitGraceMillis = 300)
    static class LeakyTests {
        @Test
        void startsAProcessAndForgetsIt() throws IOException {
            assumeTrue(launched, "run by ProcactorExtensionTest only");
            leaked.set(new ProcessBuilder("sleep", "600").start().toHandle());
        }
    }

    @ProcactorTest(name = "tidy", config = "procactor.mailbox.capacity=7")
    static class TidyTests {
        private ActorSystem fromBeforeEach;

        @BeforeEach
        void before(ActorSystem system) {
            fromBeforeEach = system;
        }

        @Test
        void getsOneSystemPerTestWithTheTestSettings(ActorSystem system) throws Exception {
            assumeTrue(launched, "run by ProcactorExtensionTest only");
            assertThat(system).isSameAs(fromBeforeEach);
            assertThat(system.name()).isEqualTo("tidy");
            assertThat(system.config().getInt("procactor.mailbox.capacity")).isEqualTo(7);
            assertThat(system.config().getString("procactor.process.terminate-grace-period"))
                    .isEqualTo(Timeouts.scaled(java.time.Duration.ofSeconds(2)).toMillis() + "ms");
            given.set(system);
            Process p = new ProcessBuilder("true").start(); // a process that ends in time is fine
            p.waitFor();
        }

        @AfterEach
        void after(ActorSystem system) {
            assertThat(system).isSameAs(fromBeforeEach); // still open in @AfterEach; closed after it
        }
    }

    @Test
    void aTestWhoseProcessOutlivesItFailsNamingTheProcessWhichIsThenKilled() {
        Events events = run(LeakyTests.class);

        events.assertStatistics(s -> s.started(1).failed(1));
        events.assertThatEvents().haveExactly(1, event(test("startsAProcessAndForgetsIt"), finishedWithFailure(
                instanceOf(AssertionError.class),
                message(m -> m.startsWith("1 child process(es) outlived test LeakyTests.startsAProcessAndForgetsIt() by more than ")
                        && m.contains("pid " + leaked.get().pid() + " [")
                        && m.contains("sleep 600")
                        && m.contains("They have been killed now.")))));
        assertThat(leaked.get().isAlive()).as("the leftover was killed").isFalse();
    }

    @Test
    void aTidyTestPassesAndItsSystemIsClosedAfterIt() {
        Events events = run(TidyTests.class);

        events.assertStatistics(s -> s.started(1).succeeded(1));
        events.assertThatEvents().haveExactly(1, event(test("getsOneSystemPerTestWithTheTestSettings"), finishedSuccessfully()));
        assertThat(given.get()).isNotNull();
        assertThat(given.get().processes()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> given.get().actorOf(
                io.procactor.Props.create(ProbeActors.Doubler.class), "late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void systemNamesComeFromTheTestClass() {
        assertThat(ProcactorExtension.systemName(ProcactorExtensionTest.class)).isEqualTo("procactorextensiontest");
        assertThat(List.of(ProcactorExtension.testSettings())).isNotEmpty();
    }
}
