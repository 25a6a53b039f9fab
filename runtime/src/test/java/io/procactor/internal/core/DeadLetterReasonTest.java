package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeadLetterReasonTest {

    /**
     * The keys {@code ActorSystem.deadLetters()} counts by. The first seven are the texts of
     * {@code DeadLetters}' constants before the enum: users and dashboards may match on them.
     */
    @Test
    void keysAreStable() {
        Map<DeadLetterReason, String> keys = Arrays.stream(DeadLetterReason.values())
                .collect(Collectors.toMap(r -> r, DeadLetterReason::key, (a, b) -> a, LinkedHashMap::new));

        assertThat(keys).containsExactly(
                Map.entry(DeadLetterReason.ACTOR_STOPPED, "actor stopped"),
                Map.entry(DeadLetterReason.NO_SUCH_ACTOR, "no such actor"),
                Map.entry(DeadLetterReason.PROCESS_EXITED, "process exited"),
                Map.entry(DeadLetterReason.NO_SUCH_PROCESS, "no such process"),
                Map.entry(DeadLetterReason.MAILBOX_FULL, "mailbox full"),
                Map.entry(DeadLetterReason.NO_SENDER, "reply without sender"),
                Map.entry(DeadLetterReason.NOT_SENT, "not sent"),
                Map.entry(DeadLetterReason.NO_WORKER, "no live worker"));
    }

    @Test
    void logsAndCountsReadTheKey() {
        assertThat(DeadLetterReason.NO_SENDER).hasToString("reply without sender");
    }
}
