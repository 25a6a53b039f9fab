package io.procactor.internal.core;

import com.typesafe.config.ConfigFactory;
import io.procactor.ActorRef;
import io.procactor.Props;
import io.procactor.internal.config.Settings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Actors in the test's own thread: a {@link ProcessCore} whose actors under test run on a queued
 * {@link TrackingExecutor} (nothing runs until {@link #run()}) with restart windows on a
 * {@link ManualTicker}. The test creates a {@link #root} cell through ActorCell's package-private
 * constructor, the one seam this needs while ProcessCore still builds its own executor: the root
 * is not in the core's registry, and the children it creates with {@code actorOf} are (they
 * inherit its dispatcher and clock), so refs, tells and asks reach them as in production.
 * {@link #close()} fails the test when anything threw on the dispatcher (a cell must catch what
 * its actor throws).
 *
 * <p>Not thread-safe: one test thread drives it.
 */
final class CellHarness implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    final TrackingExecutor dispatcher = TrackingExecutor.queued();
    final ManualTicker ticker = new ManualTicker();
    final ProcessCore core;

    /** @param config HOCON for the {@code procactor} settings under test, on top of reference.conf */
    CellHarness(String config) {
        Settings settings = Settings.from(ConfigFactory.parseString(config).withFallback(ConfigFactory.defaultReference()).resolve());
        core = LoneCore.create("node", settings, RuntimeExecutors.of(dispatcher, new ManualScheduler(ticker), ticker));
    }

    /** Starts a top-level cell named {@code name}; it is constructed on the next {@link #run()}. */
    ActorCell root(Props props, String name) {
        ActorCell cell = new ActorCell(core, name, null, props, dispatcher, ticker);
        cell.start();
        return cell;
    }

    /** The ref of actor {@code name} of this process. */
    ActorRef ref(String name) {
        return core.ref(core.processName(), name);
    }

    /** Runs every queued dispatcher task, and those they queue, on this thread. */
    int run() {
        return dispatcher.runAll();
    }

    /** Asks {@code target}, runs the dispatcher, and returns the answer (or throws its failure). */
    <R> R ask(ActorRef target, Object message) throws Exception {
        CompletableFuture<R> answer = target.ask(message, TIMEOUT);
        run();
        return answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS); // completed off the dispatcher, by the ask table
    }

    @Override
    public void close() {
        try {
            dispatcher.assertNoFailures();
        } finally {
            core.shutdown("cell test over");
        }
    }
}
