package io.procactor.transport;

/**
 * Bounds on what one received message may make this JVM allocate, on top of what the frame can
 * hold. Whatever the limits, a declared string or primitive-array length larger than the bytes
 * left in the frame is refused before anything is allocated (each element takes at least one
 * byte on the wire). Collections, maps and object arrays can hold elements that take no bytes
 * (nulls, records without fields), so their declared sizes are also counted against
 * {@code maxElements}. Senders apply the same limits, so a message that breaks them fails at
 * {@link Connection#send} instead of at the receiver.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxElements the collection, map and object-array elements one message may declare in total
 *                    beyond its byte count: a message of {@code n} body bytes may declare
 *                    {@code max(n, maxElements)} elements
 * @param maxDepth    how deeply objects may nest in one message (a list in a record in a list is 3)
 */
public record DecodeLimits(int maxElements, int maxDepth) {
    /** 1,048,576 elements (a tiny message can cost at most some tens of MiB), 200 levels. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(1 << 20, 200);

    public DecodeLimits {
        if (maxElements < 1) {
            throw new IllegalArgumentException("max-elements must be positive, was [" + maxElements + "]");
        }
        if (maxDepth < 4 || maxDepth > 10_000) {
            throw new IllegalArgumentException("max-depth must be between 4 and 10000, was [" + maxDepth + "]");
        }
    }
}
