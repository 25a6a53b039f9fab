package io.procactor.samples.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class TwoFuturesSampleTest {
    private static final Pattern FINISHED = Pattern.compile("Finished in (\\d+\\.\\d{2}) second\\(s\\)");

    @Test
    void twoOneSecondTasksOnTwoWorkersTakeAboutOneSecond() {
        Cli.Result r = Cli.run(Timeouts.seconds(60), "sample", "two-futures");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        assertThat(lines).as(r.toString()).hasSize(6);
        assertThat(lines.get(0)).matches("2 worker processes ready in \\d+\\.\\d{2} second\\(s\\)");
        // Both tasks ran, one on each worker.
        List<String> sleeping = lines.stream().filter(l -> l.endsWith("] Sleeping 1 second(s)...")).toList();
        assertThat(sleeping).as(r.toString()).hasSize(2);
        assertThat(sleeping).anyMatch(l -> l.startsWith("[executor-1 ")).anyMatch(l -> l.startsWith("[executor-2 "));
        assertThat(lines.stream().filter(l -> !l.startsWith("["))).as(r.toString())
                .startsWith(lines.get(0), "Done sleeping...1", "Done sleeping...1");
        Matcher m = FINISHED.matcher(lines.get(5));
        assertThat(m.matches()).as(r.toString()).isTrue();
        System.out.println("two-futures: " + lines.get(5));
        // One second, not two: the tasks ran at the same time.
        assertThat(Double.parseDouble(m.group(1))).as(r.toString()).isBetween(1.0, 1.9);
        assertThat(r.stderr()).isEmpty();
    }
}
