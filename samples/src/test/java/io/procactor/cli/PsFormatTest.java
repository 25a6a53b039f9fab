package io.procactor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** How {@code ps} shows a node's start time and configuration files, also for nodes too old to report them. */
class PsFormatTest {
    @Test
    void startTimeToTheSecondAndConfigFiles() {
        var node = ConfigFactory.parseString("started = \"2026-12-06T17:58:29.123Z\"\nconfig-files = [\"/a.conf\", \"/b.conf\"]");
        assertThat(PsCommand.started(node)).matches("2026-12-0\\d \\d\\d:\\d\\d:29");
        assertThat(PsCommand.configFiles(node)).isEqualTo("/a.conf, /b.conf");
    }

    @Test
    void noFileAndOlderNodes() {
        assertThat(PsCommand.configFiles(ConfigFactory.parseString("config-files = []"))).startsWith("(no file");
        assertThat(PsCommand.configFiles(ConfigFactory.empty())).isEqualTo("-");
        assertThat(PsCommand.started(ConfigFactory.empty())).isEqualTo("-");
    }
}
