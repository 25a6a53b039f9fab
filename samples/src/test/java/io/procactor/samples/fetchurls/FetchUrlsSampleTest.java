package io.procactor.samples.fetchurls;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cli.Cli;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class FetchUrlsSampleTest {
    private static final String URL = "'http://127\\.0\\.0\\.1:\\d+";

    @Test
    void threePagesArriveTheMissingOneFailsAndTheSlowOneTimesOutLast() {
        Cli.Result r = Cli.run(Timeouts.seconds(90), "sample", "fetch-urls");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.lines();
        assertThat(lines).as(r.toString()).hasSize(5);
        assertThat(lines).as(r.toString())
                .anyMatch(l -> l.matches(URL + "/daum' page is 1000 bytes"))
                .anyMatch(l -> l.matches(URL + "/cnn' page is 25000 bytes"))
                .anyMatch(l -> l.matches(URL + "/naver' page is 150000 bytes"))
                .anyMatch(l -> l.matches(URL + "/some-made-up-page' generated an exception: IOException: HTTP Error 404: Not Found"));
        // The slow page outlasts the one-second fetch timeout, so it is the last to complete.
        assertThat(lines.get(4)).as(r.toString()).matches(URL + "/youtube' generated an exception: SocketTimeoutException: Read timed out");
    }
}
