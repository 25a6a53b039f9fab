package io.procactor.samples.taskorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class TaskOrderSampleTest {
    @Test
    void fiveProcessesPrintInAnyOrderAndTheirResultsAreCollectedInOrder() {
        Cli.Result r = Cli.run(Timeouts.seconds(90), "sample", "task-order");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        IntStream.range(0, 5).forEach(i -> assertThat(lines).as(r.toString())
                .anyMatch(l -> l.matches("\\[task-" + i + " \\d+] This is Process: " + i)));
        String finished = r.linesContaining("Results as they finished: ").get(0);
        List<String> order = Arrays.asList(finished.replaceAll(".*\\[(.*)]", "$1").split(", "));
        assertThat(order).as(finished).containsExactlyInAnyOrder("0", "1", "2", "3", "4");
        assertThat(lines.get(lines.size() - 1)).as(r.toString()).isEqualTo("Results in order: [0, 1, 2, 3, 4]");
    }
}
