package io.procactor.samples.hello;

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
class HelloSampleTest {
    @Test
    void theTaskPrintsItsArgumentsInTheChildAndTheNodeJoinsIt() {
        Cli.Result r = Cli.run(Timeouts.seconds(60), "sample", "hello");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        assertThat(lines).as(r.toString()).hasSize(3);
        // The child's lines come first: join returns only after the child's output was read.
        assertThat(lines.get(0)).matches("\\[task-\\d+ \\d+] Task in the Process\\.");
        assertThat(lines.get(1)).matches("\\[task-\\d+ \\d+] 1 2");
        assertThat(lines.get(2)).matches("task-\\d+ exited: normal \\(exit code 0\\): all actors stopped, exitcode 0");
        assertThat(r.stderr()).isEmpty();
    }
}
