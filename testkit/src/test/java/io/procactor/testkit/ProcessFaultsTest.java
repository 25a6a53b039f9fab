package io.procactor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.Terminated;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The extension, TestProbe and ProcessFaults against real child JVMs. One system for the class
 * (asked for by {@code @BeforeAll}), so the class pays for few JVM starts.
 */
@ProcactorTest
@SpawnsJvms
class ProcessFaultsTest {
    private static final Duration START = Timeouts.seconds(60);
    private static ActorSystem classSystem;

    @BeforeAll
    static void start(ActorSystem system) {
        classSystem = system;
    }

    /** The process state letter of /proc/PID/stat: R, S, T (stopped), ... */
    private static char state(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    @Test
    void testsOfAClassWithABeforeAllSystemShareIt(ActorSystem system) {
        assertThat(system).isSameAs(classSystem);
        assertThat(system.name()).isEqualTo("processfaultstest");
        assertThat(system.config().getDuration("procactor.process.heartbeat-timeout"))
                .isEqualTo(Timeouts.scaled(Duration.ofSeconds(5)));
    }

    @Test
    void aProbeTalksWithActorsInChildJvms(ActorSystem system, TestProbe probe) {
        ActorProcess reporter = system.spawnProcess(Props.create(ProbeActors.Reporter.class, probe.ref()), "reporter");
        probe.expectMessage("started", START);
        assertThat(probe.lastSender()).isEqualTo(reporter.ref());

        ActorProcess doubler = system.spawnProcess(Props.create(ProbeActors.Doubler.class), "doubler");
        probe.send(doubler.ref(), 21);
        probe.expectMessage(42, START);
        probe.send(doubler.ref(), probe.ref());   // the child tells the probe directly
        assertThat(probe.receiveMessage()).isEqualTo("hello from " + doubler.pid());
        probe.expectMessage("sent");
        probe.send(reporter.ref(), "via the child");
        probe.expectMessage("via the child");
        assertThat(probe.lastSender()).isEqualTo(probe.ref());

        reporter.terminate();
        doubler.terminate();
        // the actors stop in their process's orderly shutdown: a clean end
        assertThat(probe.expectTerminated(reporter.ref()).status().isClean()).isTrue();
        assertThat(probe.expectTerminated(doubler.ref()).status().isClean()).isTrue();
    }

    @Test
    void stopFreezesAProcessAndResumeLetsItGoOn(ActorSystem system, TestProbe probe) throws Exception {
        ActorProcess p = system.spawnProcess(Props.create(ProbeActors.Doubler.class), "frozen");
        probe.send(p.ref(), 1);
        probe.expectMessage(2, START);

        ProcessFaults.stop(p);
        await().atMost(Timeouts.seconds(5)).until(() -> state(p.pid()) == 'T');
        probe.send(p.ref(), 2);
        probe.expectNoMessage(Duration.ofMillis(300)); // frozen: no answer
        ProcessFaults.resume(p);
        probe.expectMessage(4);
        assertThat(state(p.pid())).isNotEqualTo('T');

        p.terminate();
        probe.expectTerminated(p.ref());
    }

    @Test
    void aStoppedProcessIsKilledAsUnresponsiveAfterTheTestHeartbeatTimeout(ActorSystem system, TestProbe probe) {
        ActorProcess p = system.spawnProcess(Props.create(ProbeActors.Doubler.class), "hung");
        probe.send(p.ref(), 1);
        probe.expectMessage(2, START);
        probe.watch(p.ref());
        ProcessFaults.stop(p);
        // heartbeat-timeout is 5 s in the test settings (default 10 s): the node notices well within 15
        Terminated t = probe.expectTerminated(p.ref(), Duration.ofSeconds(15));
        assertThat(t.status().reason()).isEqualTo(ExitStatus.Reason.UNRESPONSIVE);
    }

    @Test
    void killIsSigkillFromOutside(ActorSystem system, TestProbe probe) throws Exception {
        ActorProcess p = system.spawnProcess(Props.create(ProbeActors.Doubler.class), "victim");
        probe.send(p.ref(), 1);
        probe.expectMessage(2, START);
        probe.watch(p.ref());

        ProcessFaults.kill(p);

        Terminated t = probe.expectTerminated(p.ref());
        assertThat(t.status().reason()).isEqualTo(ExitStatus.Reason.KILLED);
        assertThat(t.status().signalNumber()).hasValue(9);
        assertThat(p.join(Timeouts.seconds(10))).isTrue();
        assertThatThrownBy(() -> ProcessFaults.stop(p))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot send SIGSTOP to process victim: its JVM (pid " + p.pid() + ") is not running");
    }
}
