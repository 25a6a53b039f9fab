package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The turns an I/O thread's read made due are submitted once each, whatever a submission throws. */
class ReadBatchWakeupsTest {
    @AfterEach
    void nothingLeftForTheNextTest() {
        ReadBatchWakeups.flush();
    }

    @Test
    void aSubmissionThatThrowsAnErrorSubmitsNoTurnTwiceAndLosesNone() {
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        ReadBatchWakeups.defer(before::incrementAndGet);
        ReadBatchWakeups.defer(() -> {
            throw new Error("as OutOfMemoryError: unable to create native thread (JUnit would end the fork on a real one)");
        });
        ReadBatchWakeups.defer(after::incrementAndGet);

        assertThatThrownBy(ReadBatchWakeups::flush).isExactlyInstanceOf(Error.class);
        assertThat(after).as("not tried yet").hasValue(0);
        // the next read's end: a turn submitted twice would run its actor on two threads, one never submitted leaves it stuck
        assertThatCode(ReadBatchWakeups::flush).doesNotThrowAnyException();

        assertThat(before).hasValue(1);
        assertThat(after).hasValue(1);
    }

    @Test
    void aRefusedSubmissionDoesNotStopTheOthers() {
        AtomicInteger submitted = new AtomicInteger();
        ReadBatchWakeups.defer(() -> {
            throw new IllegalStateException("dispatcher shut down (simulated)");
        });
        ReadBatchWakeups.defer(submitted::incrementAndGet);

        assertThatThrownBy(ReadBatchWakeups::flush).isInstanceOf(IllegalStateException.class);

        assertThat(submitted).hasValue(1);
    }
}
