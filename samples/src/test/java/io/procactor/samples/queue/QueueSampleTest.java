package io.procactor.samples.queue;

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
class QueueSampleTest {
    @Test
    void tenSubTotalsGoThroughTheQueueToTheParent() {
        Cli.Result r = Cli.run(Timeouts.seconds(90), "sample", "queue");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        assertThat(lines.get(0)).as(r.toString()).matches("Parent Process ID \\d+");
        IntStream.range(0, 10).forEach(i -> assertThat(lines).as(r.toString())
                .anyMatch(l -> l.matches("\\[" + i + " (\\d+)] Process ID: \\1, Process Name: " + i + " ID: 1"))
                .anyMatch(l -> l.matches("\\[" + i + " \\d+] Result: 10000000")));
        assertThat(lines).as(r.toString()).anyMatch(l -> l.matches("--- \\d+\\.\\d{3} seconds ---"));
        // 10 processes * 10,000,000
        assertThat(lines.subList(lines.size() - 2, lines.size())).as(r.toString())
                .containsExactly("Main-Processing Total Count=100000000", "Main-Processing Done");
    }
}
