package io.procactor.samples;

import io.procactor.samples.hello.HelloSample;
import io.procactor.samples.lifecycle.LifecycleSample;
import io.procactor.samples.naming.NamingSample;
import io.procactor.samples.pingpong.PingPongSample;
import io.procactor.samples.sleepers.SleepersSample;
import java.util.List;
import java.util.Optional;

/** Every sample, in the order a reader should try them. */
public final class Samples {
    private static final List<Sample> ALL = List.of(
            new HelloSample(),
            new SleepersSample(),
            new LifecycleSample(),
            new NamingSample(),
            new PingPongSample());

    private Samples() {
    }

    public static List<Sample> all() {
        return ALL;
    }

    public static Optional<Sample> find(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
