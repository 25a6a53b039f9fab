package io.procactor.internal.channels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/** A host's spilled items: which ones of dead producers it drops, and when. */
class SpillsTest {
    private static final long GRACE = 1000;

    private static Consumer<LongConsumer> ring(Long... ids) {
        return c -> List.of(ids).forEach(c::accept);
    }

    @Test
    void anItemOfADeadProducerThatNoRecordNamesGoesAfterTheGraceOthersStay() {
        Spills s = new Spills();
        long leaked = s.add("leaked", "p");
        long inRing = s.add("in ring", "p");
        long other = s.add("of a live producer", "q");
        assertThat(s.exited("p")).isTrue();
        assertThat(s.suspect(ring(inRing, other), 0, GRACE)).isTrue();
        assertThat(s.sweep(GRACE - 1)).as("not before the grace ends").isZero();
        assertThat(s.sweep(GRACE)).isOne();
        assertThat(s.take(leaked)).isNull();
        assertThat(s.take(inRing)).isEqualTo("in ring");
        assertThat(s.take(other)).isEqualTo("of a live producer");
        assertThat(s.size()).isZero();
        assertThat(s.hasSuspects()).isFalse();
    }

    @Test
    void anItemFetchedDuringTheGraceIsNotDroppedAndAConsumerDeathLooksAgain() {
        Spills s = new Spills();
        long copiedOut = s.add("copied out by a consumer", "p");
        long later = s.add("read later", "p");
        assertThat(s.exited("p")).isTrue();
        s.suspect(ring(later), 0, GRACE);
        assertThat(s.take(copiedOut)).as("its consumer fetches it within the grace").isNotNull();
        assertThat(s.sweep(GRACE)).isZero();
        assertThat(s.exited("consumer")).as("a producer that died still has an item kept").isTrue();
        s.suspect(ring(), 2 * GRACE, GRACE); // the consumer that copied it out died before fetching it
        assertThat(s.sweep(3 * GRACE - 1)).isZero();
        assertThat(s.sweep(3 * GRACE)).isOne();
        assertThat(s.exited("another")).as("no dead producer has items left").isFalse();
    }

    @Test
    void aLiveProducersItemIsNeverSuspect() {
        Spills s = new Spills();
        long id = s.add("waiting for room", "q");
        assertThat(s.exited("p")).isFalse();
        assertThat(s.suspect(ring(), 0, GRACE)).isFalse();
        assertThat(s.sweep(10 * GRACE)).isZero();
        assertThat(s.take(id)).isNotNull();
    }
}
