package io.procactor.samples;

import io.procactor.samples.clusterpool.ClusterPoolSample;
import io.procactor.samples.cpubound.CpuBoundSample;
import io.procactor.samples.cpucount.CpuCountSample;
import io.procactor.samples.doubler.DoublerProcessesSample;
import io.procactor.samples.doubler.PoolMapSample;
import io.procactor.samples.executor.ExecutorSample;
import io.procactor.samples.executor.TwoFuturesSample;
import io.procactor.samples.fetchurls.FetchUrlsSample;
import io.procactor.samples.hello.HelloSample;
import io.procactor.samples.lifecycle.LifecycleSample;
import io.procactor.samples.naming.NamingSample;
import io.procactor.samples.pingpong.PingPongSample;
import io.procactor.samples.pipe.PipeSample;
import io.procactor.samples.producerconsumer.ProducerConsumerSample;
import io.procactor.samples.queue.QueueSample;
import io.procactor.samples.sharedcounter.SharedCounterSample;
import io.procactor.samples.sleepers.SleepersSample;
import io.procactor.samples.supervision.SupervisionSample;
import io.procactor.samples.taskorder.TaskOrderSample;
import java.util.List;
import java.util.Optional;

/** Every sample, in the order a reader should try them. */
public final class Samples {
    private static final List<Sample> ALL = List.of(
            new HelloSample(),
            new SleepersSample(),
            new LifecycleSample(),
            new NamingSample(),
            new DoublerProcessesSample(),
            new CpuCountSample(),
            new PoolMapSample(),
            new ExecutorSample(),
            new TwoFuturesSample(),
            new CpuBoundSample(),
            new FetchUrlsSample(),
            new PingPongSample(),
            new TaskOrderSample(),
            new SharedCounterSample(),
            new QueueSample(),
            new PipeSample(),
            new ProducerConsumerSample(),
            new SupervisionSample(),
            new ClusterPoolSample());

    private Samples() {
    }

    public static List<Sample> all() {
        return ALL;
    }

    public static Optional<Sample> find(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
