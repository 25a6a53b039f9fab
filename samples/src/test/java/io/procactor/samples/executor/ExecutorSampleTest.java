package io.procactor.samples.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class ExecutorSampleTest {
    private static final Pattern FINISHED = Pattern.compile("Finished in (\\d+\\.\\d{2}) second\\(s\\)");

    /** The full sample (sleeps of 5..1 s): about 5 s of tasks plus the JVMs' start. */
    @Test
    void resultsComeAsCompletedShortestFirstAndTheRunTakesAboutTheLongestSleep() {
        Cli.Result r = Cli.run(Timeouts.seconds(90), "sample", "executor");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        assertThat(lines.get(0)).as(r.toString()).matches("5 worker processes ready in \\d+\\.\\d{2} second\\(s\\)");
        // Each worker printed its "Sleeping" line from its own process.
        IntStream.rangeClosed(1, 5).forEach(s -> assertThat(lines).as(r.toString())
                .anyMatch(l -> l.matches("\\[executor-\\d \\d+] Sleeping " + s + " second\\(s\\)\\.\\.\\.")));
        // The node's lines: results as completed, the 1 s sleep first.
        List<String> results = lines.stream().filter(l -> l.startsWith("Done sleeping")).toList();
        assertThat(results).as(r.toString())
                .containsExactly("Done sleeping...1", "Done sleeping...2", "Done sleeping...3", "Done sleeping...4", "Done sleeping...5");
        String last = lines.get(lines.size() - 1);
        Matcher m = FINISHED.matcher(last);
        assertThat(m.matches()).as("last line [%s] of\n%s", last, r).isTrue();
        double tasks = Double.parseDouble(m.group(1));
        System.out.println("executor: " + last + "; " + lines.get(0) + "; whole run " + r.took().toMillis() + " ms");
        // In parallel: the longest sleep, not the 15 s of all five in a row. The sample times the
        // tasks from the moment every worker is up; the whole run (about 7 s on an idle 2-core
        // machine, JVM start-ups included) is not asserted, because on a shared machine the start
        // of five JVMs alone can take 10 s.
        assertThat(tasks).as(r.toString()).isBetween(5.0, 7.5);
    }
}
