package io.procactor.samples.pipeline;

import io.procactor.Actor;
import io.procactor.ActorRef;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tail of the pipeline: counts results per worker; once it has as many as the producer said
 * it produced, it sends the counts, one line each, to {@code report} (the topology runner, which
 * prints them) followed by {@code "done"}.
 */
public final class Collector extends Actor {
    private final ActorRef report;
    private final Map<String, Long> perWorker = new TreeMap<>();
    private long produced = -1;
    private long collected;
    private long sum;

    public Collector(ActorRef report) {
        this.report = report;
    }

    @Override
    protected void onReceive(Object message) {
        if (message instanceof Processed p) {
            collected++;
            sum += p.value();
            perWorker.merge(p.worker(), 1L, Long::sum);
        } else if (message instanceof Produced p) {
            produced = p.count();
        } else {
            unhandled(message);
            return;
        }
        if (collected == produced) {
            report.tell("pipeline: produced " + produced);
            perWorker.forEach((worker, n) -> report.tell("pipeline: processed by " + worker + ": " + n));
            report.tell("pipeline: collected " + collected + " (sum of squares " + sum + ")");
            report.tell("done");
            produced = -1; // report once
        }
    }
}
