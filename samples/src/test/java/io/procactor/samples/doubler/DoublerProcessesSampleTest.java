package io.procactor.samples.doubler;

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
class DoublerProcessesSampleTest {
    private static final Pattern LINE = Pattern.compile("\\[doubler-\\d+ (\\d+)] (\\d) doubled to (\\d) by process id: (\\d+)");

    @Test
    void eachNumberIsDoubledInItsOwnProcessAndTheNodeJoinsThemAll() {
        Cli.Result r = Cli.run(Timeouts.seconds(60), "sample", "doubler-processes");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        assertThat(lines).as(r.toString()).hasSize(4);
        // the processes run in parallel, so their lines come in any order; join makes them all come first
        assertThat(lines.get(3)).isEqualTo("All 3 processes joined");
        List<String> children = lines.subList(0, 3);
        for (int n = 0; n < 3; n++) {
            String number = String.valueOf(n);
            Matcher m = children.stream().map(LINE::matcher).filter(x -> x.matches() && x.group(2).equals(number)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line for " + number + " in\n" + r));
            assertThat(m.group(3)).isEqualTo(String.valueOf(2 * n));
            assertThat(m.group(4)).as("the pid it printed is its own").isEqualTo(m.group(1));
        }
        assertThat(children.stream().map(l -> l.split(" ")[1]).distinct()).as("three processes").hasSize(3);
        assertThat(r.stderr()).isEmpty();
    }
}
