package io.procactor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.Terminated;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TestProbe against actors of the node itself: expectations, their failures and timeouts, in milliseconds. */
@ProcactorTest
class TestProbeTest {
    private static final Duration SHORT = Duration.ofMillis(200);

    @Test
    void expectsMessagesByValueAndByTypeInOrder(ActorSystem system, TestProbe probe) {
        ActorRef doubler = system.actorOf(Props.create(ProbeActors.Doubler.class), "doubler");
        probe.send(doubler, 21);
        probe.send(doubler, 5);
        assertThat(probe.expectMessage(42)).isEqualTo(42);
        assertThat(probe.expectMessage(Integer.class)).isEqualTo(10);
        assertThat(probe.lastSender()).isEqualTo(doubler);
        probe.expectNoMessage(SHORT);
    }

    @Test
    void aWrongMessageFailsNamingWhatCameAndFromWhom(ActorSystem system, TestProbe probe) {
        ActorRef doubler = system.actorOf(Props.create(ProbeActors.Doubler.class), "doubler");
        probe.send(doubler, 1);
        assertThatThrownBy(() -> probe.expectMessage(3))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected [3] but received [2] (java.lang.Integer) from " + doubler.path());
        probe.send(doubler, 1);
        assertThatThrownBy(() -> probe.expectMessage(String.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected a message of type java.lang.String but received [2]");
    }

    @Test
    void nothingInTimeFailsWithTheBound(TestProbe probe) {
        assertThatThrownBy(() -> probe.expectMessage("never", SHORT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected [never] within " + Timeouts.scaled(SHORT).toMillis() + " ms but received nothing");
        assertThatThrownBy(() -> probe.receiveMessage(SHORT)).isInstanceOf(AssertionError.class);
    }

    @Test
    void expectNoMessageFailsWhenOneArrives(TestProbe probe) {
        probe.ref().tell("surprise");
        assertThatThrownBy(() -> probe.expectNoMessage(SHORT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected no message")
                .hasMessageContaining("[surprise] (java.lang.String) without sender");
    }

    @Test
    void replyGoesToTheSenderOfTheLastMessage(ActorSystem system, TestProbe probe, TestProbe other) {
        assertThatThrownBy(() -> probe.reply("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("no sender");
        other.send(probe.ref(), "ping");
        probe.expectMessage("ping");
        assertThat(probe.lastSender()).isEqualTo(other.ref());
        probe.reply("pong");
        other.expectMessage("pong");
        assertThat(other.lastSender()).isEqualTo(probe.ref());
    }

    @Test
    void expectTerminatedWatchesAndReportsHowTheActorEnded(ActorSystem system, TestProbe probe) {
        ActorRef doubler = system.actorOf(Props.create(ProbeActors.Doubler.class), "doubler");
        probe.watch(doubler);
        doubler.tell("stop");
        Terminated t = probe.expectTerminated(doubler);
        assertThat(t.ref()).isEqualTo(doubler);
        assertThat(t.status().reason()).isEqualTo(ExitStatus.Reason.NORMAL);
    }

    @Test
    void expectTerminatedFailsWhenTheActorLivesOn(ActorSystem system, TestProbe probe) {
        ActorRef doubler = system.actorOf(Props.create(ProbeActors.Doubler.class), "doubler");
        assertThatThrownBy(() -> probe.expectTerminated(doubler, SHORT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected Terminated(" + doubler.path() + ") within");
    }
}
