package io.procactor.samples.pipeline;

/** Producer to a worker: one item of the pipeline, numbered from 1. */
public record Item(long seq) {
}
