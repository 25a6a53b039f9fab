package io.procactor.bench;

import io.procactor.Actor;

/** A CPU-bound task of a fixed size: {@code n} rounds of an integer hash, no allocation. */
public final class CpuTask extends Actor {
    @Override
    protected void onReceive(Object message) {
        reply(spin((Integer) message));
    }

    /** The work itself, also run in-process for the baseline. */
    public static long spin(int rounds) {
        long h = 1125899906842597L;
        for (int i = 0; i < rounds; i++) {
            h = 31 * h + (i ^ (h >>> 7));
        }
        return h;
    }
}
