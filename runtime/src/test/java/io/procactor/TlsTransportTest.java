package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.internal.config.Settings;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import io.procactor.transport.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * procactor.transport.tls: checked at start naming key, value and fix; passed to children; and a
 * node and its children talking over TCP with mutual TLS.
 */
@ExtendWith(NoLeftoverProcesses.class)
class TlsTransportTest {
    private static final Duration FIRST_ASK = Timeouts.seconds(60);

    @TempDir
    static Path dir;
    static TestCertificates.Files3 files;

    @BeforeAll
    static void makeCertificates() throws Exception {
        files = TestCertificates.make(dir);
    }

    private static Settings settings(String hocon) {
        return Settings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    @Test
    void offByDefault() {
        assertThat(Settings.from(ConfigFactory.defaultReference()).transport().tls().enabled()).isFalse();
    }

    @Test
    void enabledSettingsAreReadAndPassedToChildrenWithAbsolutePaths() {
        Settings s = settings(files.config() + "\nprocactor.transport.tls.protocols = [TLSv1.3, TLSv1.2]");
        TlsSettings tls = s.transport().tls();
        assertThat(tls.enabled()).isTrue();
        assertThat(tls.certificate()).isEqualTo(files.certificate().toAbsolutePath());
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");

        Map<String, String> child = s.childProperties();
        assertThat(Settings.fromChildProperties(child).transport().tls()).isEqualTo(tls);
        assertThat(Settings.fromChildProperties(settings("").childProperties()).transport().tls().enabled()).isFalse();
    }

    @Test
    void aMissingFileFailsAtStartNamingKeyValueAndFix() {
        Path missing = dir.resolve("missing-ca.pem");
        assertThatThrownBy(() -> settings(files.config() + "\nprocactor.transport.tls.trust = \"" + missing + "\""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("procactor.transport.tls.trust")
                .hasMessageContaining("[" + missing)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aKeyOfAnotherCertificateAnIncompleteSetupAndOldProtocolsAreRefused() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello");
        assertThatThrownBy(() -> settings(files.config() + "\nprocactor.transport.tls.private-key = \"" + notAKey + "\""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("procactor.transport.tls.private-key").hasMessageContaining("PKCS#8");
        assertThatThrownBy(() -> settings("procactor.transport.tls { enabled = on, trust = \"" + files.trust() + "\" }"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("procactor.transport.tls.certificate").hasMessageContaining("key-store");
        assertThatThrownBy(() -> settings(files.config() + "\nprocactor.transport.tls.protocols = [TLSv1]"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("procactor.transport.tls.protocols").hasMessageContaining("TLSv1");
        assertThatThrownBy(() -> settings(files.config() + "\nprocactor.transport.tls.protocols = TLSv1.3"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("procactor.transport.tls.protocols");
    }

    @Test
    @SpawnsJvms
    void aNodeAndItsChildrenTalkOverTcpWithMutualTls() throws Exception {
        try (ActorSystem system = ActorSystem.create("tls", ConfigFactory.parseString(
                "procactor.transport.kind = tcp\n" + files.config()))) {
            ActorProcess doubler = system.spawnProcess(Props.create(TestActors.Doubler.class), "doubler");
            ActorProcess forwarder = system.spawnProcess(Props.create(TestActors.Forwarder.class), "forwarder");

            CompletableFuture<Integer> answer = doubler.ref().ask(21, FIRST_ASK);
            assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(42);
            forwarder.ref().tell(doubler.ref()); // the children connect to each other, over TLS too
            CompletableFuture<String> via = forwarder.ref().ask(5, FIRST_ASK);
            assertThat(via.get(60, TimeUnit.SECONDS)).isEqualTo("via forwarder: 10");
            List<CompletableFuture<String>> more = List.of(forwarder.ref().ask(1, FIRST_ASK), forwarder.ref().ask(2, FIRST_ASK));
            assertThat(more.get(1).get(20, TimeUnit.SECONDS)).isEqualTo("via forwarder: 4");
        }
    }
}
