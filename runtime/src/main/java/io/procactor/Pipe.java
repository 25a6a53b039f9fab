package io.procactor;

/**
 * The two connected ends of a pipe made by {@link ActorSystem#pipe} (Python's
 * {@code a, b = Pipe()}). Keep one end, pass the other to another process; see {@link PipeEnd}.
 * A one-way pipe ({@code pipe(false)}) receives at {@link #first()} and sends at {@link #second()},
 * as Python's {@code r, w = Pipe(duplex=False)}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param first the end Python calls {@code a} (or {@code r} when one-way)
 * @param second the end Python calls {@code b} (or {@code w} when one-way)
 * @param <T> the item type
 */
public record Pipe<T>(PipeEnd<T> first, PipeEnd<T> second) {
}
