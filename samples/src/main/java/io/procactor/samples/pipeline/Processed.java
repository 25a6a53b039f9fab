package io.procactor.samples.pipeline;

/** Worker to the collector: the result of one item and the worker process that computed it. */
public record Processed(long seq, long value, String worker) {
}
