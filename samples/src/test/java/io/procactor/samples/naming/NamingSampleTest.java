package io.procactor.samples.naming;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class NamingSampleTest {
    private static final Pattern PARENT = Pattern.compile("Parent Process ID: (\\d+)");
    private static final Pattern REPORT = Pattern.compile(
            "\\[(\\S+) (\\d+)] Process ID: (\\d+), Process Name: (\\S+), Parent Process ID: (\\d+)");

    @Test
    void everyNamedChildReportsItsPidNameAndTheNodeAsParent() {
        Cli.Result r = Cli.run(Timeouts.seconds(60), "sample", "naming");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        Matcher parent = PARENT.matcher(lines.get(0));
        assertThat(parent.matches()).as(r.toString()).isTrue();
        String nodePid = parent.group(1);

        Set<String> names = new HashSet<>();
        for (String line : lines) {
            Matcher m = REPORT.matcher(line);
            if (m.matches()) {
                assertThat(m.group(3)).as("the pid a child reports is the pid the node logs for it: " + line).isEqualTo(m.group(2));
                assertThat(m.group(4)).as("the process name: " + line).isEqualTo(m.group(1));
                assertThat(m.group(5)).as("the parent pid a child sees is the node's: " + line).isEqualTo(nodePid);
                names.add(m.group(4));
            }
        }
        assertThat(names).as(r.toString()).containsExactlyInAnyOrder("1", "2", "3", "4", "5");
        for (int n = 1; n <= 5; n++) {
            String result = "] Result of " + n + ", square: " + n * n;
            assertThat(lines).as(r.toString()).anyMatch(l -> l.endsWith(result));
        }
        assertThat(lines.get(lines.size() - 1)).isEqualTo("Main-Processing Done");
    }
}
