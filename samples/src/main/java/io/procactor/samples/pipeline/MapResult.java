package io.procactor.samples.pipeline;

/** Pool worker to the map job: the result for the input at {@code index}, and which worker computed it. */
public record MapResult(int index, long value, String worker) {
}
