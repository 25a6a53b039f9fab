package io.procactor.samples.cpubound;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class CpuBoundSampleTest {
    private static final Pattern WHO = Pattern.compile("(\\d+) process \\| (\\d+) thread");
    private static final Pattern FINISHED = Pattern.compile("Finished in (\\d+\\.\\d{2}) second\\(s\\).*");

    @Test
    void sequentialThreadsAndProcessesComputeTheSameTotalsInTheExpectedPlaces() {
        Cli.Result r = Cli.run(Timeouts.seconds(120), "sample", "cpu-bound");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        assertThat(lines).as(r.toString()).hasSize(18);
        assertThat(lines.get(0)).isEqualTo("Sequential:");
        assertThat(lines.get(6)).isEqualTo("Thread pool (3 threads):");
        assertThat(lines.get(12)).isEqualTo("Process pool (3 processes):");

        List<long[]> sequential = who(lines.subList(1, 4), r);
        List<long[]> threads = who(lines.subList(7, 10), r);
        List<long[]> processes = who(lines.subList(13, 16), r);
        long node = sequential.get(0)[0];
        // Sequential: one process, one thread.
        assertThat(sequential).allMatch(w -> w[0] == node && w[1] == sequential.get(0)[1]);
        // Thread pool: the node's process, three threads.
        assertThat(threads).allMatch(w -> w[0] == node);
        assertThat(threads.stream().map(w -> w[1]).distinct()).hasSize(3);
        // Process pool: three other processes.
        assertThat(processes.stream().map(w -> w[0]).collect(Collectors.toSet())).as(r.toString()).hasSize(3).doesNotContain(node);

        // The same totals, whoever computed them (the sample checks this too, and fails if not).
        assertThat(lines.get(4)).matches("\\[\\d+, \\d+, \\d+]").isEqualTo(lines.get(10)).isEqualTo(lines.get(16));
        String times = String.join("; ", lines.get(5), lines.get(11), lines.get(17));
        System.out.println("cpu-bound: " + times + "; whole run " + r.took().toMillis() + " ms");
        for (String finished : List.of(lines.get(5), lines.get(11), lines.get(17))) {
            assertThat(FINISHED.matcher(finished).matches()).as(r.toString()).isTrue();
        }
        assertThat(lines.get(17)).contains("to start the worker JVMs");
        assertThat(r.stderr()).isEmpty();
    }

    private static List<long[]> who(List<String> lines, Cli.Result r) {
        return lines.stream().map(l -> {
            Matcher m = WHO.matcher(l);
            assertThat(m.matches()).as("[%s] in\n%s", l, r).isTrue();
            return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        }).toList();
    }
}
