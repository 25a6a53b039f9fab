package io.procactor.transport.internal;

import com.esotericsoftware.kryo.io.Output;

/**
 * A Kryo output that counts the collection, map and array elements a message declares, so the
 * sender can apply the receiver's element budget ({@link BoundedInput#claimElements}) and fail at
 * send time instead of having the receiver close the connection.
 *
 * <p>Confined to one thread, like the Kryo instance it serves.
 */
final class BoundedOutput extends Output {
    private long declaredElements;

    BoundedOutput(int bufferSize, int maxBufferSize) {
        super(bufferSize, maxBufferSize);
    }

    @Override
    public void reset() {
        super.reset();
        declaredElements = 0;
    }

    void declareElements(int count) {
        declaredElements += count;
    }

    long declaredElements() {
        return declaredElements;
    }
}
