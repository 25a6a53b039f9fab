package io.procactor.samples.pipeline;

/** Map job to a pool worker: the input at {@code index}. */
public record MapTask(int index, long value) {
}
