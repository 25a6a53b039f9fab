package io.procactor.bench;

import io.procactor.Actor;

/** The benchmarks' trivial task: x -> 2x. */
public final class Doubler extends Actor {
    @Override
    protected void onReceive(Object message) {
        reply((Integer) message * 2);
    }
}
