package io.procactor.samples.sharedcounter;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class SharedCounterSampleTest {
    private static final Pattern VIEW = Pattern.compile("\\[(generateUpdateNumber\\w*-\\d+) \\d+] data (\\d+)");
    private static final Pattern FINAL = Pattern.compile("Final Data in parent process (\\d+)");

    @Test
    void nineProcessesAddFiftyEachThreeTimesAndTheAtomicAndLockedRunsLoseNothing() {
        Cli.Result r = Cli.run(Timeouts.seconds(180), "sample", "shared-counter");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        assertThat(lines.get(0)).as(r.toString()).matches("Parent Process ID \\d+");
        List<String> names = new ArrayList<>();
        List<Integer> totals = new ArrayList<>();
        for (String line : lines) {
            Matcher m = VIEW.matcher(line);
            if (m.matches()) {
                assertThat(Integer.parseInt(m.group(2))).as(line).isBetween(1, 450);
                names.add(m.group(1));
            }
            Matcher f = FINAL.matcher(line);
            if (f.matches()) {
                totals.add(Integer.parseInt(f.group(1)));
            }
        }
        assertThat(names).as(r.toString()).hasSize(27).doesNotHaveDuplicates();
        assertThat(names.stream().filter(n -> n.startsWith("generateUpdateNumber-"))).as(r.toString()).hasSize(9);
        assertThat(names.stream().filter(n -> n.startsWith("generateUpdateNumberWithLock-"))).as(r.toString()).hasSize(9);
        assertThat(totals).as(r.toString()).hasSize(3);
        // the race without a lock may lose updates: its total is only printed
        assertThat(totals.subList(1, 3)).as("atomic add and lock: " + r).containsExactly(450, 450);
        assertThat(lines).as(r.toString()).contains("-- v.value += 1, no lock (the original)", "-- v.addAndGet(1)",
                "-- with lock: v.value += 1");
    }
}
