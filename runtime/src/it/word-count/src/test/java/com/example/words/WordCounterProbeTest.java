package com.example.words;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.testkit.ProcactorTest;
import io.procactor.testkit.TestProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The same actor tested with procactor-testkit: a system per test, a probe as sender, no process left behind. */
@ProcactorTest
class WordCounterProbeTest {
    @Test
    void repliesToTheProbeAndStopsOnTerminate(ActorSystem system, TestProbe probe) {
        ActorProcess counter = system.spawnProcess(Props.create(WordCounter.class), "counter");
        probe.send(counter.ref(), "four words in here");
        probe.expectMessage(4, Duration.ofSeconds(120));
        assertEquals(counter.ref(), probe.lastSender());

        counter.terminate();
        assertEquals(true, probe.expectTerminated(counter.ref()).status().isClean());
    }
}
