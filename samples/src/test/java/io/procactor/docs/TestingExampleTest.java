package io.procactor.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.samples.pingpong.PingPongSample.Ball;
import io.procactor.samples.pingpong.PingPongSample.Done;
import io.procactor.samples.pingpong.PingPongSample.Pong;
import io.procactor.samples.pingpong.PingPongSample.Start;
import io.procactor.testkit.ProcactorTest;
import io.procactor.testkit.ProcessFaults;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The example of the README's "Testing your actors" section (ReadmeTest checks that they match). */
@SpawnsJvms
@ProcactorTest(register = {Start.class, Ball.class, Done.class})
class TestingExampleTest {
    @Test
    void pongReturnsTheBallAndDiesOfSigkill(ActorSystem system, TestProbe probe) {
        ActorProcess pong = system.spawnProcess(Props.create(Pong.class), "pong");
        probe.send(pong.ref(), new Ball(7));               // the probe is the sender
        probe.expectMessage(new Ball(7), Duration.ofSeconds(30));

        ProcessFaults.kill(pong);                           // SIGKILL from outside
        assertEquals(ExitStatus.Reason.KILLED, probe.expectTerminated(pong.ref()).status().reason());
    }   // the system is closed here; a child JVM still alive after it fails the test
}
