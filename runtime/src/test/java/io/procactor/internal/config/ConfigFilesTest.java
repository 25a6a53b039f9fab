package io.procactor.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a node's configuration came from, as {@code procactor ps} shows them. */
class ConfigFilesTest {
    @TempDir
    Path tmp;

    @Test
    void filesThatSetAValueAreNamedAndReferenceConfIsNot() throws Exception {
        Path app = Files.writeString(tmp.resolve("app.conf"), "procactor.mailbox.capacity = 5\n");
        Path topology = Files.writeString(tmp.resolve("topology.conf"), "procactor.topology.name = t\n");
        Config c = ConfigFactory.parseFile(topology.toFile()).withFallback(ConfigFactory.parseFile(app.toFile()))
                .withFallback(ConfigFactory.parseString("procactor.dispatcher.threads = 2"))
                .withFallback(ConfigFactory.defaultReference());

        assertThat(ConfigFiles.of(c, new Properties())).containsExactly(app.toString(), topology.toString());
    }

    @Test
    void configFilePropertyIsNamedAndDefaultsAloneNameNothing() {
        Properties p = new Properties();
        assertThat(ConfigFiles.of(ConfigFactory.defaultReference(), p)).isEmpty();
        p.setProperty("config.file", "/etc/app.conf");
        assertThat(ConfigFiles.of(ConfigFactory.defaultReference(), p)).isEqualTo(List.of("/etc/app.conf"));
    }
}
