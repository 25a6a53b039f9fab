package io.procactor.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-log-test");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong nanos = new AtomicLong(1_000);

    RateLimitedLogTest() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    @Test
    void aFloodWritesAFewLinesAMinuteAndThenSaysHowManyItDropped() {
        RateLimitedLog log = new RateLimitedLog(logger, 5, 1, TimeUnit.MINUTES, nanos::get);
        int logged = 0;
        for (int i = 0; i < 10_000; i++) {
            if (log.warn("refused " + i)) {
                logged++;
            }
        }
        assertThat(logged).isEqualTo(5);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("refused 0", "refused 1", "refused 2", "refused 3", "refused 4");

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertThat(log.warn("still the same minute")).isFalse();

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertThat(log.warn("next minute")).isTrue();
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).endsWith(
                "9996 similar lines were not logged in the last 61 s", "next minute");
    }

    @Test
    void aQuietWindowLogsNoSummary() {
        RateLimitedLog log = new RateLimitedLog(logger, 2, 1, TimeUnit.MINUTES, nanos::get);
        log.warn("one");
        nanos.addAndGet(TimeUnit.MINUTES.toNanos(5));
        log.warn("two");
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("one", "two");
    }
}
