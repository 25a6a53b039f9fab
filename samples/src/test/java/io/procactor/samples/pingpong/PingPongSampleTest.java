package io.procactor.samples.pingpong;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class PingPongSampleTest {
    @Test
    void twoChildrenPlayAThousandRoundTripsAndReportToTheNode() {
        Cli.Result r = Cli.run(Timeouts.seconds(90), "sample", "ping-pong");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        r.linesContaining("round trips in").forEach(System.out::println); // in target/surefire-reports/*-output.txt
        assertThat(r.lines()).as(r.toString())
                .anyMatch(l -> l.matches("ping-pong: 1000 round trips in \\d+\\.\\d ms \\(\\d+ round trips/s\\)"))
                .contains("ping exited: terminated (exit code 0): terminated on request; postStop of every actor ran",
                        "pong exited: terminated (exit code 0): terminated on request; postStop of every actor ran");
    }
}
