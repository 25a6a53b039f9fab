package io.procactor.samples.pipeline;

/** Producer to the collector, after its last item: how many items it sent. */
public record Produced(long count) {
}
