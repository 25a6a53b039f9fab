package io.procactor.samples.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class PipeSampleTest {
    @Test
    void theChildSendsItsCountThroughThePipeAndClosesIt() {
        Cli.Result r = Cli.run(Timeouts.seconds(60), "sample", "pipe");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        assertThat(lines.get(0)).as(r.toString()).matches("Parent Process ID \\d+");
        assertThat(lines).as(r.toString())
                .anyMatch(l -> l.matches("\\[1 (\\d+)] Process ID: \\1, Process Name: 1 ID: 1"))
                .anyMatch(l -> l.matches("\\[1 \\d+] Result: 100000000"))
                .anyMatch(l -> l.matches("--- \\d+\\.\\d{3} seconds ---"));
        assertThat(lines.subList(lines.size() - 3, lines.size())).as(r.toString()).containsExactly(
                "Main-Processing Total Count=100000000",
                "parent_conn.recv() again: EOF, the child closed the pipe",
                "Main-Processing Done");
    }
}
