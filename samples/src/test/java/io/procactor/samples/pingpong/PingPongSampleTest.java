package io.procactor.samples.pingpong;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.Props;
import io.procactor.cli.Cli;
import io.procactor.samples.pingpong.PingPongSample.Ball;
import io.procactor.samples.pingpong.PingPongSample.Done;
import io.procactor.samples.pingpong.PingPongSample.Start;
import io.procactor.testkit.ProcactorTest;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestProbe;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sample through the CLI, and its two actors on their own with the testkit (a probe plays the node). */
@ProcactorTest(register = {Start.class, Ball.class, Done.class})
@SpawnsJvms
class PingPongSampleTest {
    @Test
    void twoChildrenPlayAThousandRoundTripsAndReportToTheNode() {
        Cli.Result r = Cli.run(Timeouts.seconds(90), "sample", "ping-pong");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        r.linesContaining("round trips in").forEach(System.out::println); // in target/surefire-reports/*-output.txt
        assertThat(r.lines()).as(r.toString())
                .anyMatch(l -> l.matches("ping-pong: 1000 round trips in \\d+\\.\\d ms \\(\\d+ round trips/s\\)"))
                .contains("ping exited: terminated (exit code 0): terminated on request; postStop of every actor ran",
                        "pong exited: terminated (exit code 0): terminated on request; postStop of every actor ran");
    }

    @Test
    void pingReportsToWhoeverStartedTheGameAndPongReturnsEveryBall(ActorSystem system, TestProbe probe) {
        ActorProcess ping = system.spawnProcess(Props.create(PingPongSample.Ping.class), "ping");
        ActorProcess pong = system.spawnProcess(Props.create(PingPongSample.Pong.class), "pong");

        probe.send(pong.ref(), new Ball(7));
        assertThat(probe.expectMessage(Ball.class, Duration.ofSeconds(60))).isEqualTo(new Ball(7));
        assertThat(probe.lastSender()).isEqualTo(pong.ref());

        probe.send(ping.ref(), new Start(pong.ref(), 10));
        Done done = probe.expectMessage(Done.class, Duration.ofSeconds(60));
        assertThat(done.rounds()).isEqualTo(10);
        assertThat(probe.lastSender()).isEqualTo(ping.ref());
        probe.expectNoMessage(Duration.ofMillis(100));
    }
}
