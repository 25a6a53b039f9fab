package io.procactor.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.procactor.ClusterMember;
import io.procactor.ConfigurationException;
import io.procactor.internal.config.ConfigLoader;
import io.procactor.internal.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code procactor.cluster.*}: defaults, the URL grammar, the secret rules (never echoed), and the
 * error when a mode needs procactor-cluster and it is not on the class path (it is not on
 * runtime's test class path).
 */
class ClusterSettingsTest {
    private static final String SECRET = "0123456789abcdef-secret";

    @TempDir
    Path dir;

    private Config load(String content) throws IOException {
        Path f = Files.writeString(dir.resolve("app.conf"), content);
        return ConfigLoader.load(new ConfigLoader.Sources(new Properties(), Map.of(), List.of(), null, null,
                ClusterSettingsTest.class.getClassLoader()).withTopology(ConfigLoader.parseFile(f)));
    }

    private ClusterSettings settingsOf(String content) throws IOException {
        Config c = load(content);
        Settings.from(c); // unknown keys are the general reader's job: labels must not be one
        return ClusterSettings.from(c);
    }

    private String failureOf(String content) throws IOException {
        Config c = load(content);
        try {
            ClusterSettings.from(c);
        } catch (ConfigurationException e) {
            return e.getMessage();
        }
        throw new AssertionError("no ConfigurationException for\n" + content);
    }

    @Test
    void theDefaultIsLocalWithoutASecret() throws IOException {
        ClusterSettings s = settingsOf("");
        assertThat(s.mode()).isEqualTo(ClusterMode.LOCAL);
        assertThat(s.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.secret()).isEmpty();
        assertThat(s.labels()).isEmpty();
    }

    @Test
    void aZooKeeperUrlGivesTheEnsembleAndThePath() throws IOException {
        ClusterSettings s = settingsOf("procactor.cluster { mode = zookeeper, url = \"zookeeper://zk1:2181,zk2:2182/apps/shop\""
                + ", secret = \"" + SECRET + "\", labels { zone = a, disk = ssd } }");
        assertThat(s.mode()).isEqualTo(ClusterMode.ZOOKEEPER);
        assertThat(s.connectString()).isEqualTo("zk1:2181,zk2:2182");
        assertThat(s.path()).isEqualTo("/apps/shop");
        assertThat(s.labels()).isEqualTo(Map.of("zone", "a", "disk", "ssd"));
        assertThat(s.toString()).doesNotContain(SECRET);

        ClusterSettings shorthand = settingsOf("procactor.cluster { mode = \"zookeeper://10.0.0.1:2181\", secret = \""
                + SECRET + "\" }");
        assertThat(shorthand.mode()).isEqualTo(ClusterMode.ZOOKEEPER);
        assertThat(shorthand.connectString()).isEqualTo("10.0.0.1:2181");
        assertThat(shorthand.path()).isEqualTo(ClusterSettings.DEFAULT_PATH);
    }

    @Test
    void aBadUrlSaysWhatIsWrongAndWhatIsAllowed() throws IOException {
        String secret = ", secret = \"" + SECRET + "\" }";
        assertThat(failureOf("procactor.cluster { mode = zookeeper" + secret))
                .startsWith("procactor.cluster.url must be set with procactor.cluster.mode = zookeeper: must be zookeeper://");
        assertThat(failureOf("procactor.cluster { mode = zookeeper, url = \"http://zk1:2181\"" + secret))
                .contains("procactor.cluster.url must be zookeeper://host:port").contains("was [http://zk1:2181]")
                .contains("app.conf: 1");
        assertThat(failureOf("procactor.cluster { mode = zookeeper, url = \"zookeeper://zk1\"" + secret))
                .contains("[zk1] has no port");
        assertThat(failureOf("procactor.cluster { mode = zookeeper, url = \"zookeeper://zk1:99999/p\"" + secret))
                .contains("port [99999] must be 1 to 65535");
        assertThat(failureOf("procactor.cluster { mode = zookeeper, url = \"zookeeper://zk1:2181/a b\"" + secret))
                .contains("path segment [a b]");
        assertThat(failureOf("procactor.cluster { url = \"zookeeper://zk1:2181\" }"))
                .contains("procactor.cluster.url is only read with procactor.cluster.mode = zookeeper (mode is local)");
        assertThat(failureOf("procactor.cluster.mode = cloud"))
                .startsWith("procactor.cluster.mode must be one of local, embedded, zookeeper").contains("was [cloud]");
    }

    @Test
    void theSessionTimeoutMustBeInRange() throws IOException {
        assertThat(failureOf("procactor.cluster.session-timeout = 50ms"))
                .startsWith("procactor.cluster.session-timeout must be a duration between 200ms and 600s").contains("was [50ms]");
        assertThat(failureOf("procactor.cluster.session-timeout = soon")).contains("was [soon]");
    }

    @Test
    void aClusterNeedsASecretLongEnoughAndNeverShowsIt() throws IOException {
        assertThat(failureOf("procactor.cluster.mode = embedded"))
                .startsWith("procactor.cluster.secret (or procactor.cluster.secret-file) must be set with procactor.cluster.mode = embedded");
        assertThat(failureOf("procactor.cluster { mode = embedded, secret = shorty }"))
                .contains("must be at least 16 characters, was 6").doesNotContain("shorty");
        assertThat(failureOf("procactor.cluster { mode = embedded, secret = \"" + SECRET + "\", secret-file = /x }"))
                .contains("are both set");
    }

    @Test
    void aSecretFileMustBeTheOwnersAlone() throws IOException {
        Path file = Files.writeString(dir.resolve("secret"), SECRET + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(failureOf("procactor.cluster { mode = embedded, secret-file = \"" + file + "\" }"))
                .contains("must be readable by its owner only, has mode rw-r--r--; run chmod 600");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(settingsOf("procactor.cluster { mode = embedded, secret-file = \"" + file + "\" }").secret())
                .isEqualTo(SECRET);
        assertThat(failureOf("procactor.cluster { mode = embedded, secret-file = \"" + dir.resolve("none") + "\" }"))
                .contains("cannot be read");
    }

    @Test
    void aBadLabelIsNamed() throws IOException {
        assertThat(failureOf("procactor.cluster.labels { \"my zone\" = a }"))
                .startsWith("procactor.cluster.labels.\"my zone\" must be an object of label names and values");
    }

    @Test
    void aModeOtherThanLocalWithoutProcactorClusterNamesTheArtifact() throws IOException {
        ClusterSettings s = settingsOf("procactor.cluster { mode = embedded, secret = \"" + SECRET + "\" }");
        assertThatThrownBy(() -> Coordinators.open(s, () -> null, new CoordinatorEvents() { }))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("procactor.cluster.mode = embedded needs the module io.procactor:procactor-cluster");
    }

    @Test
    void modeLocalIsThisNodeAloneWithoutAThread() {
        int[] described = {0};
        Coordinator c = Coordinators.open(ClusterSettings.LOCAL, () -> {
            described[0]++;
            return new NodeDescription("here", "unix:/tmp/n.sock", 2, 0, Map.of());
        }, new CoordinatorEvents() { });
        assertThat(described[0]).as("nothing looked up until asked").isZero();
        ClusterMember self = c.self();
        assertThat(c.members()).containsExactly(self);
        assertThat(c.self()).isSameAs(self);
        assertThat(described[0]).isEqualTo(1);
        assertThat(c.acceptingWork()).isTrue();
        c.close();
    }

    @Test
    void theClusterEndpointsBindAndTheRoleAreCheckedWithTheirRules() throws IOException {
        ClusterSettings defaults = settingsOf("");
        assertThat(defaults.bind()).isEmpty();
        assertThat(defaults.role()).isEqualTo(ClusterSettings.Role.NODE);
        ClusterSettings agent = settingsOf("procactor.cluster { bind = \"10.0.0.5:7400\", role = agent }");
        assertThat(agent.bind()).isEqualTo("10.0.0.5:7400");
        assertThat(agent.role()).isEqualTo(ClusterSettings.Role.AGENT);
        assertThat(failureOf("procactor.cluster.bind = \"example.org:7400\""))
                .contains("procactor.cluster.bind must be IP:PORT").contains("[example.org:7400]");
        assertThat(failureOf("procactor.cluster.bind = \"10.0.0.5:99999\"")).contains("procactor.cluster.bind");
        assertThat(failureOf("procactor.cluster.role = worker")).contains("procactor.cluster.role must be node")
                .contains("[worker]");
    }
}
