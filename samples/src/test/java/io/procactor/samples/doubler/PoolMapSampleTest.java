package io.procactor.samples.doubler;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class PoolMapSampleTest {
    private static final Pattern WORKERS = Pattern.compile("Pool of 3 worker processes: pids (\\d+), (\\d+), (\\d+)");
    private static final Pattern DOUBLED = Pattern.compile("(\\d+) doubled to (\\d+) by process id: (\\d+)");

    @Test
    void threeWorkerProcessesDoubleTenNumbersAndTheResultsComeInInputOrder() {
        Cli.Result r = Cli.run(Timeouts.seconds(60), "sample", "pool-map");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        assertThat(lines).as(r.toString()).hasSize(11);
        Set<Long> workers = workerPids(lines.get(0), r);
        for (int i = 0; i < 10; i++) {
            Matcher m = DOUBLED.matcher(lines.get(i + 1));
            assertThat(m.matches()).as("line %d of\n%s", i + 1, r).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(i);
            assertThat(Integer.parseInt(m.group(2))).isEqualTo(2 * i);
            assertThat(Long.parseLong(m.group(3))).as(r.toString()).isIn(workers); // a worker, not the node
        }
        assertThat(r.stderr()).isEmpty();
    }

    /** The long-run path, as a topology file asks for it: a summary per worker, and no progress bar without a terminal. */
    @Test
    void aLargeMapPrintsASummaryPerWorkerAndNoProgressBarWhenNotOnATerminal(@TempDir Path dir) throws Exception {
        Path topology = Files.writeString(dir.resolve("pool-map-large.conf"),
                "procactor.topology.sample = pool-map\n" + PoolMapSample.N_KEY + " = 20000\n");

        Cli.Result r = Cli.run(Timeouts.seconds(90), "run", topology.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        Set<Long> workers = workerPids(lines.get(0), r);
        assertThat(lines.get(1)).as(r.toString()).matches("20000 numbers doubled in \\d+\\.\\d\\d second\\(s\\), results in input order");
        List<String> perWorker = lines.subList(2, lines.size());
        assertThat(perWorker).as(r.toString()).isNotEmpty().allMatch(l -> l.matches("  process id \\d+ doubled \\d+ of them"));
        long total = 0;
        for (String l : perWorker) {
            String[] words = l.trim().split(" ");
            assertThat(Long.parseLong(words[2])).isIn(workers);
            total += Long.parseLong(words[4]);
        }
        assertThat(total).isEqualTo(20_000);
        // stderr is not a terminal here: ProgressBar must stay silent
        assertThat(r.stderr()).as(r.toString()).doesNotContain("[#").doesNotContain("%").doesNotContain("\r");
    }

    private static Set<Long> workerPids(String line, Cli.Result r) {
        Matcher m = WORKERS.matcher(line);
        assertThat(m.matches()).as("first line of\n%s", r).isTrue();
        Set<Long> pids = Arrays.stream(new String[] {m.group(1), m.group(2), m.group(3)}).map(Long::parseLong).collect(Collectors.toSet());
        assertThat(pids).hasSize(3);
        return pids;
    }
}
