package io.procactor.transport.internal;

import com.esotericsoftware.kryo.KryoException;

/**
 * Thrown inside Kryo when a message declares more than its frame holds or the
 * {@link io.procactor.transport.DecodeLimits} allow. A {@link KryoException}, so that Kryo's
 * serializers pass it up unchanged (adding only their trace); {@link KryoCodec} turns it into a
 * {@link io.procactor.transport.MessageLimitException}.
 */
final class LimitViolation extends KryoException {
    LimitViolation(String message) {
        super(message);
    }
}
