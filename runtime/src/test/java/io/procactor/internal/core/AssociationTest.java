package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.procactor.internal.config.Settings;
import io.procactor.internal.wire.Protocol;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A link to another process: who waits for room in its connection, and what a closed one refuses. */
class AssociationTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ProcessCore core = LoneCore.create("node", Settings.from(ConfigFactory.defaultReference()),
            RuntimeExecutors.of(TrackingExecutor.direct(), scheduler, scheduler.ticker()));

    @AfterEach
    void shutdown() {
        core.shutdown("test over");
    }

    @Test
    void aPoolBatchNeverWaitsForRoomWhileOtherSendersDo() {
        RecordingConnection c = new RecordingConnection();
        Association link = core.newLink("worker");
        assertThat(link.attach(c)).isTrue();
        c.full = true;

        link.send(new Protocol.Batch(1, List.of(1)), false); // a pool, under the lock an I/O thread needs for results
        assertThat(c.waitsForRoom).hasValue(0);
        link.send("a message");
        assertThat(c.waitsForRoom).as("backpressure for everyone else").hasValue(1);
        assertThat(c.sent()).hasSize(2);
    }

    @Test
    void aClosedLinkTakesNoConnection() {
        Association link = core.newLink("worker");
        link.close();
        RecordingConnection late = new RecordingConnection();

        assertThat(link.attach(late)).isFalse();
        link.send("after");
        assertThat(late.sent()).isEmpty();
    }
}
