package io.procactor.samples.sleepers;

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
public class SleepersSampleTest {
    private static final Pattern FINISHED = Pattern.compile("Finished in (\\d+\\.\\d{2}) second\\(s\\)");

    @Test
    void tenProcessesSleepInParallel() {
        Cli.Result r = Cli.run(Timeouts.seconds(90), "sample", "sleepers");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertSleptInParallel(r);
    }

    /** Also used by the CLI test of {@code run config/topologies/sleepers.conf}. */
    public static void assertSleptInParallel(Cli.Result r) {
        List<String> sleeping = r.linesContaining("] Sleeping 1.5 second(s)...");
        List<String> done = r.linesContaining("] Done sleeping...");
        assertThat(sleeping).as(r.toString()).hasSize(10);
        assertThat(done).as(r.toString()).hasSize(10);
        // Each of sleeper-1..10 printed both lines, from its own process.
        IntStream.rangeClosed(1, 10).forEach(i -> {
            assertThat(sleeping).anyMatch(l -> l.startsWith("[sleeper-" + i + " "));
            assertThat(done).anyMatch(l -> l.startsWith("[sleeper-" + i + " "));
        });

        List<String> lines = r.lines();
        String last = lines.get(lines.size() - 1);
        Matcher m = FINISHED.matcher(last);
        assertThat(m.matches()).as("last line [%s] of\n%s", last, r).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as(r.toString()).isGreaterThanOrEqualTo(1.5);
        System.out.println("sleepers: " + last); // in target/surefire-reports/*-output.txt
        // In parallel, several processes sleep at once: more than one is asleep before the first
        // wakes (one at a time, exactly one would be). An order, not a time: a busy machine only
        // makes everything slower.
        int firstDone = lines.indexOf(done.get(0));
        long asleepAtOnce = lines.subList(0, firstDone).stream().filter(l -> l.contains("] Sleeping 1.5 second(s)...")).count();
        assertThat(asleepAtOnce).as("processes asleep before the first woke up\n%s", r).isGreaterThan(1);
    }
}
