package io.procactor.samples.lifecycle;

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
class LifecycleSampleTest {
    @Test
    void aliveThenTerminatedMidWorkThenNotAlive() {
        Cli.Result r = Cli.run(Timeouts.seconds(60), "sample", "lifecycle");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        int alive = lines.indexOf("Process p is alive: true");
        int notAlive = lines.indexOf("Process p is alive: false");
        assertThat(alive).as(r.toString()).isNotNegative();
        assertThat(notAlive).as(r.toString()).isGreaterThan(alive);
        assertThat(lines).as(r.toString())
                .anyMatch(l -> l.matches("\\[p \\d+] Sub-Process First: starting"))
                // postStop ran before the process exited: terminate is graceful
                .anyMatch(l -> l.matches("\\[p \\d+] Sub-Process First: finishing early, terminated with \\d+ ms of work left"))
                .anyMatch(l -> l.startsWith("Process p says: working, "))
                .contains("Process p exit status: terminated (exit code 0): terminated on request; postStop of every actor ran",
                        "Process p exitcode: 0");
    }
}
