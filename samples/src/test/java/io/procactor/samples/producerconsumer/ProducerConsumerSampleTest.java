package io.procactor.samples.producerconsumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class ProducerConsumerSampleTest {
    private static final Pattern PRODUCER = Pattern.compile("Producer stopped after (\\d+) rounds");
    private static final Pattern CONSUMER = Pattern.compile("\\[consumer \\d+] Consumer stopped after (\\d+) rounds");

    @Test
    void threadAndProcessWorkUntilStoppedThenBothEnd() {
        Cli.Result r = Cli.run(Timeouts.seconds(60), "sample", "producer-consumer");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        int produced = rounds(PRODUCER, r);
        int consumed = rounds(CONSUMER, r);
        // About a second at one round per 200 ms each; at least two rounds even on a busy machine.
        assertThat(produced).as(r.toString()).isGreaterThanOrEqualTo(2);
        assertThat(consumed).as(r.toString()).isGreaterThanOrEqualTo(2);
        // Every round printed its line, the consumer's from its own process.
        assertThat(r.lines().stream().filter(l -> l.equals("Producer is working...")).count()).as(r.toString()).isEqualTo(produced);
        assertThat(r.lines().stream().filter(l -> l.matches("\\[consumer \\d+] Consumer is working\\.\\.\\.")).count())
                .as(r.toString()).isEqualTo(consumed);
        assertThat(r.lines()).as(r.toString()).contains("Both stopped; the consumer process exited with code 0");
    }

    private static int rounds(Pattern p, Cli.Result r) {
        for (String line : r.lines()) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no line matching [" + p + "]\n" + r);
    }
}
