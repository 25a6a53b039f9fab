package io.procactor.samples.sharedcounter;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class SharedCounterSampleTest {
    private static final Pattern VIEW = Pattern.compile("\\[(Process-\\d) \\d+] (Process-\\d) data (\\d+)");

    @Test
    void nineProcessesAddFiftyEachAndNoUpdateIsLost() {
        Cli.Result r = Cli.run(Timeouts.seconds(90), "sample", "shared-counter");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        assertThat(lines.get(0)).as(r.toString()).matches("Parent Process ID \\d+");
        Map<String, Integer> views = new HashMap<>();
        for (String line : lines) {
            Matcher m = VIEW.matcher(line);
            if (m.matches()) {
                assertThat(m.group(2)).as(line).isEqualTo(m.group(1));
                views.put(m.group(2), Integer.parseInt(m.group(3)));
            }
        }
        assertThat(views.keySet()).as(r.toString()).containsExactlyInAnyOrder(
                "Process-1", "Process-2", "Process-3", "Process-4", "Process-5", "Process-6", "Process-7", "Process-8", "Process-9");
        // Each view counts the process's own 50 increments; the last one to ask sees them all.
        assertThat(views.values()).as(r.toString()).allMatch(v -> v >= 50 && v <= 450).contains(450);
        assertThat(lines.get(lines.size() - 1)).as(r.toString()).isEqualTo("Final Data in parent process 450");
    }
}
