package io.procactor.samples.supervision;

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
class SupervisionSampleTest {
    private static final String PID = "(\\d+)";

    @Test
    void theWorkerSurvivesAThrowAnExitAndAHangAndFinishesEveryJob() {
        Cli.Result r = Cli.run(Timeouts.seconds(120), "sample", "supervision");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        // The node's own lines tell the story in a fixed order; children's lines ("[worker pid] ...")
        // arrive through their own pipe, so they are checked apart.
        List<String> node = r.lines().stream().filter(l -> !l.startsWith("[")).toList();
        Story story = new Story(node, r);
        String pid1 = story.next("The worker process is up: pid " + PID + ", restart policy PERMANENT; .*").group(1);
        story.next("job 1 -> 1   \\(pid " + pid1 + ", job #1 of this worker instance\\)");
        story.next("job 2 -> 4   \\(pid " + pid1 + ", job #2 of this worker instance\\)");

        // An exception: the actor is restarted in the same process, with fresh state.
        story.next("job 3 failed: the worker threw SupervisionSample\\$BadInput: cannot square job 3 \\(injected fault\\)");
        story.next("   its supervisor restarted the actor .*: same process, pid " + pid1 + ", restarts\\(\\) = 0; .*");
        story.next("job 3 -> 9   \\(pid " + pid1 + ", job #1 of this worker instance, attempt 2\\)");
        assertThat(r.lines()).as(r.toString())
                .anyMatch(l -> l.matches("\\[worker " + pid1 + "] preRestart: discarding the instance that handled 2 job\\(s\\), "
                        + "after BadInput on Job\\[n=3, fault=THROW]"))
                .anyMatch(l -> l.matches("\\[worker " + pid1 + "] postRestart: a fresh instance takes over in the same JVM, pid "
                        + pid1));

        // System.exit(3): the process dies, death watch says how, the node restarts it.
        story.next("job 5 failed: the worker's process died: crashed \\(exit code 3\\): exited with code 3");
        story.next("   death watch: Terminated\\(worker\\): crashed \\(exit code 3\\): exited with code 3");
        String pid2 = story.next("job 5 -> 25   \\(pid " + PID + ", job #1 of this worker instance, attempt 2\\)").group(1);
        assertThat(pid2).isNotEqualTo(pid1);
        story.next("   the node restarted the process: new pid " + pid2 + ", worker.restarts\\(\\) = 1");

        // A hang: found by a timeout, ended with SIGKILL, restarted again.
        story.next("job 7 got no answer within 10 s: the worker hangs; kill -9 its JVM \\(pid " + pid2 + "\\) .*");
        story.next("   death watch: Terminated\\(worker\\): killed \\(signal 9\\): killed by SIGKILL from outside procactor");
        String pid3 = story.next("job 7 -> 49   \\(pid " + PID + ", job #1 of this worker instance, attempt 2\\)").group(1);
        assertThat(pid3).isNotIn(pid1, pid2);
        story.next("   the node restarted the process: new pid " + pid3 + ", worker.restarts\\(\\) = 2");

        story.next("All 8 jobs done: \\[1, 4, 9, 16, 25, 36, 49, 64], despite 1 actor restart\\(s\\) and 2 process restart\\(s\\)\\.");
        // kill() is a stop on request: never restarted.
        story.next("   death watch: Terminated\\(worker\\): killed \\(signal 9\\): killed on request \\(kill\\(\\)\\)");
        story.next("   worker exited: killed \\(signal 9\\): killed on request \\(kill\\(\\)\\); restarts\\(\\) = 2, isAlive\\(\\) = false");
        System.out.println("supervision: took " + r.took().toMillis() + " ms"); // in target/surefire-reports/*-output.txt
    }

    /** Finds lines matching patterns, each after the previous one found. */
    private static final class Story {
        private final List<String> lines;
        private final Cli.Result result;
        private final List<String> found = new ArrayList<>();
        private int at;

        Story(List<String> lines, Cli.Result result) {
            this.lines = lines;
            this.result = result;
        }

        Matcher next(String regex) {
            Pattern p = Pattern.compile(regex);
            for (int i = at; i < lines.size(); i++) {
                Matcher m = p.matcher(lines.get(i));
                if (m.matches()) {
                    at = i + 1;
                    found.add(lines.get(i));
                    return m;
                }
            }
            throw new AssertionError("no line matching [" + regex + "] after " + found + "\n" + result);
        }
    }
}
