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
    void aSubmissionThatThrowsAnErrorDoesNotLeaveTheOthersToBeSubmittedAgain() {
        AtomicInteger submitted = new AtomicInteger();
        ReadBatchWakeups.defer(submitted::incrementAndGet);
        ReadBatchWakeups.defer(() -> {
            throw new Error("as OutOfMemoryError: unable to create native thread (JUnit would end the fork on a real one)");
        });

        assertThatThrownBy(ReadBatchWakeups::flush).isExactlyInstanceOf(Error.class);
        // the next read's end: a turn submitted twice would run its actor on two threads
        assertThatCode(ReadBatchWakeups::flush).doesNotThrowAnyException();

        assertThat(submitted).hasValue(1);
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
