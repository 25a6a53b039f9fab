package io.procactor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every workload of the harness runs at {@link Scale#tiny()} against real child JVMs and prints
 * one well-formed {@code RESULT} line per figure. Checks the harness, never a speed.
 */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class BenchmarksTest {
    private static final String NUMBER = "-?[0-9]+(?:\\.[0-9]+)?";
    private static final Pattern RESULT = Pattern.compile("RESULT ([a-z0-9_]+) (" + NUMBER + ") (\\S+) min=(" + NUMBER + ") max=("
            + NUMBER + ") rounds=(\\d+) vs_block_floor=(" + NUMBER + "|-) vs_spin_floor=(" + NUMBER + "|-)");
    /** Figures compared with the floors; every other prints "-". */
    private static final Set<String> RATIO_UNITS = Set.of("us", "roundtrips/s", "msgs/s", "asks/s", "req/s", "tasks/s");

    @Test
    void everyWorkloadRunsAndPrintsOneResultLinePerFigure() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Benchmarks benchmarks = new Benchmarks(new PrintStream(printed, true, StandardCharsets.UTF_8), Scale.tiny());

        benchmarks.run("all");
        benchmarks.run("memory200");

        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.print(output); // in the surefire report, to see where the time went
        List<String> results = output.lines().filter(l -> l.startsWith("RESULT ")).toList();
        List<String> names = results.stream().map(l -> l.split(" ")[1]).toList();
        assertThat(names).as(output).containsExactly(
                "floor_block_rtt_p50", "floor_block_rtt_p99", "floor_block_rtt_p999", "floor_block_rate_p50",
                "floor_spin_rtt_p50", "floor_spin_rtt_p99", "floor_spin_rtt_p999", "floor_spin_rate_p50",
                "tell_node_child", "tell_node_child_cpu", "tell_child_child", "tell_child_child_cpu",
                "ask1_p50", "ask1_p99", "ask1_p999", "ask64", "ask64_p99", "ask64_cpu",
                "reqreply1_p50", "reqreply1_p99", "reqreply1_p999", "reqreply64", "reqreply64_p99", "reqreply64_cpu",
                "spawn1_first_reply", "spawn1_child_cpu", "spawn2_all_replied", "spawn2_children_cpu", "spawn1_spare_first_reply", "child_rss", "child_pss", "idle1_cpu",
                "pool_map_auto", "pool_map_chunk1", "pool_submit", "pool1_cpu_tasks", "pool2_cpu_tasks", "pool_speedup",
                // memory200 at tiny scale (2 children): a run of its own, with no floors (nothing is compared with them)
                "children2_all_ready", "children2_total_rss", "children2_total_pss", "children2_pss_per_child", "children2_node_rss");
        for (String line : results) {
            Matcher m = RESULT.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            double median = Double.parseDouble(m.group(2));
            assertThat(median).as(line).isBetween(Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)));
            assertThat(median).as(line).isNotNegative();
            assertThat(m.group(6)).as(line).isEqualTo("1");
            boolean ratios = RATIO_UNITS.contains(m.group(3));
            assertThat(m.group(7).equals("-")).as(line).isEqualTo(!ratios);
            assertThat(m.group(8).equals("-")).as(line).isEqualTo(!ratios);
        }
        assertThat(output.lines().filter(l -> l.startsWith("# machine: "))).as("one machine line per run").hasSize(2);
    }

    @Test
    void anUnknownNameFailsBeforeAnythingRunsAndNamesTheKnownOnes() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Benchmarks benchmarks = new Benchmarks(new PrintStream(printed, true, StandardCharsets.UTF_8), Scale.tiny());

        assertThatThrownBy(() -> benchmarks.run("fastest"))
                .isInstanceOf(Benchmarks.UnknownBenchmarkException.class)
                .hasMessage("unknown benchmark [fastest]; use " + Benchmarks.NAMES);
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
