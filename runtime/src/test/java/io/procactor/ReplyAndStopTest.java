package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9 items 1 and 2 in one storm (200 child JVMs cost minutes on 2 cores, so one storm serves
 * both): 200 children requested at once all come up (launches are admitted a few at a time, none is
 * killed for a start or handshake timeout, none restarted), then each replies to an ask and stops
 * itself, all at once. Every reply must arrive, and every exit must be classified "normal: all
 * actors stopped" (the child's own notice), never "System.exit in actor code", whatever the node is
 * writing to those children as they go (heartbeats, the other children's ProcessDown notices).
 * {@code -Dprocactor.test.rounds=N} repeats the storm.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class ReplyAndStopTest {
    private static final int CHILDREN = 200;
    private static final int ROUNDS = Integer.getInteger("procactor.test.rounds", 1);
    private static final Duration T = Timeouts.seconds(300);

    /** Replies "bye" to "stop", then stops itself: its process exits normally right after the reply. */
    public static final class ReplyThenStop extends Actor {
        @Override
        protected void onReceive(Object message) {
            if ("stop".equals(message)) {
                reply("bye");
                context().stop();
            } else {
                unhandled(message);
            }
        }
    }

    @Test
    void everyReplyArrivesAndEveryExitIsNormal() throws Exception {
        try (ActorSystem system = ActorSystem.create("replystop")) {
            List<String> problems = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                List<ActorProcess> children = new ArrayList<>();
                for (int i = 0; i < CHILDREN; i++) {
                    children.add(system.spawnProcess(Props.create(ReplyThenStop.class), "r" + round + "-" + i));
                }
                long t0 = System.nanoTime();
                for (ActorProcess p : children) {
                    p.ready().get(T.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(p.restarts()).as("%s was not restarted", p.name()).isZero();
                }
                System.out.printf("ReplyAndStopTest: %d children requested at once were all ready after %d ms on %d cores%n",
                        CHILDREN, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), Runtime.getRuntime().availableProcessors());
                List<CompletableFuture<Object>> replies = new ArrayList<>();
                for (ActorProcess p : children) {
                    replies.add(p.ref().ask("stop", T));
                }
                for (int i = 0; i < CHILDREN; i++) {
                    ActorProcess p = children.get(i);
                    try {
                        Object reply = replies.get(i).get(T.toMillis(), TimeUnit.MILLISECONDS);
                        if (!"bye".equals(reply)) {
                            problems.add(p.name() + ": wrong reply [" + reply + "]");
                        }
                    } catch (ExecutionException e) {
                        problems.add(p.name() + ": reply lost: " + e.getCause());
                    }
                    assertThat(p.join(T)).as("%s exits", p.name()).isTrue();
                    ExitStatus s = p.exitStatus().orElseThrow();
                    if (s.reason() != ExitStatus.Reason.NORMAL || s.detail().contains("System.exit")) {
                        problems.add(p.name() + ": wrong cause: " + s);
                    }
                }
            }
            assertThat(problems).as("lost replies and wrong causes of %d children x %d rounds", CHILDREN, ROUNDS).isEmpty();
        }
    }
}
