package io.procactor.samples.cpucount;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class CpuCountSampleTest {
    @Test
    void oneProcessPerCoreEachPrintingItsIndex() {
        Cli.Result r = Cli.run(Timeouts.seconds(60), "sample", "cpu-count");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        int cores = Runtime.getRuntime().availableProcessors(); // the CLI JVM runs on the same machine
        List<String> lines = r.lines();
        assertThat(lines).as(r.toString()).hasSize(1 + cores);
        assertThat(lines.get(0)).isEqualTo("cpu_count: " + cores);
        IntStream.range(0, cores).forEach(i -> assertThat(lines).as(r.toString())
                .anyMatch(l -> l.matches("\\[core-" + i + " \\d+] This is cpu core: " + i)));
        assertThat(r.stderr()).isEmpty();
    }
}
