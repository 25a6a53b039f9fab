package io.procactor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH benchmarks compile (their harness is generated at build time), run against real child
 * JVMs and report a score. One short iteration each, in this JVM: a check that they work, not a
 * measurement.
 */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class JmhBenchmarksTest {
    @Test
    void everyJmhBenchmarkRunsAndReportsAScore() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Collection<RunResult> results = new Benchmarks(new PrintStream(printed, true, StandardCharsets.UTF_8)).jmh(
                new OptionsBuilder().include(Benchmarks.JMH_BENCHMARKS)
                        .forks(0).warmupIterations(0).measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(300))
                        .build());

        assertThat(results).extracting(r -> r.getParams().getBenchmark() + r.getParams().getParam("chunkSize"))
                .containsExactlyInAnyOrder(
                        "io.procactor.bench.AskLatencyBenchmark.askRoundTripnull",
                        "io.procactor.bench.PoolMapBenchmark.map0",
                        "io.procactor.bench.PoolMapBenchmark.map1");
        assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Benchmark", "askRoundTrip", "map");
    }
}
