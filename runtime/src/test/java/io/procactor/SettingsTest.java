package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.internal.config.Settings;
import io.procactor.transport.TransportKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An invalid configuration value fails ActorSystem creation, before any process starts, with a
 * {@link ConfigurationException} naming the full key path and the value.
 */
class SettingsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            procactor.transport.max-frame-size = 0                      | procactor.transport.max-frame-size                      | 0
            procactor.transport.max-frame-size = 128 MiB                | procactor.transport.max-frame-size                      | 128 MiB
            procactor.process.terminate-grace-period = -1s              | procactor.process.terminate-grace-period                | -1s
            procactor.process.start-timeout = 0s                        | procactor.process.start-timeout                         | 0s
            procactor.transport.handshake-timeout = -5ms                | procactor.transport.handshake-timeout                   | -5ms
            procactor.transport.kind = bogus                            | procactor.transport.kind                                | bogus
            procactor.transport.io-threads = -1                         | procactor.transport.io-threads                          | -1
            procactor.process.stderr-tail-lines = -2                    | procactor.process.stderr-tail-lines                     | -2
            procactor.dispatcher.throughput = 0                         | procactor.dispatcher.throughput                         | 0
            'procactor.serialization.registrations { "x.Y" = 5 }'       | 'procactor.serialization.registrations."x.Y"'           | 5
            'procactor.serialization.registrations { "x.Y" = "abc" }'   | 'procactor.serialization.registrations."x.Y"'           | abc
            """)
    void invalidValueFailsSystemCreationNamingKeyAndValue(String setting, String key, String value) {
        assertThatThrownBy(() -> ActorSystem.create("settings", ConfigFactory.parseString(setting)).close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(key)
                .hasMessageContaining("[" + value);
    }

    @Test
    void wrongTypeFailsNamingTheKey() {
        assertThatThrownBy(() -> ActorSystem.create("settings",
                ConfigFactory.parseString("procactor.process.terminate-grace-period = soon")).close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("procactor.process.terminate-grace-period")
                .hasMessageContaining("soon");
    }

    @Test
    void registrationOfAClassThatDoesNotExistIsRejectedNamingIt() {
        assertThatThrownBy(() -> ActorSystem.create("settings",
                ConfigFactory.parseString("procactor.serialization.registrations { \"com.example.Missing\" = 1000 }")).close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("procactor.serialization.registrations")
                .hasMessageContaining("com.example.Missing");
    }

    @Test
    void aMisspelledKeyFailsNamingItAndTheClosestSetting() {
        assertThatThrownBy(() -> ActorSystem.create("settings",
                ConfigFactory.parseString("procactor.process.terminate-grace-periode = 2s")).close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("procactor.process.terminate-grace-periode")
                .hasMessageContaining("did you mean procactor.process.terminate-grace-period?");
    }

    @Test
    void reservedRegistrationIdInCodeIsRejected() {
        assertThatThrownBy(() -> ActorSystem.builder("settings").register(SettingsTest.class, 999))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[999]")
                .hasMessageContaining(SettingsTest.class.getName());
    }

    @Test
    void validValuesAreReadWithTheirUnits() {
        Settings s = Settings.from(ConfigFactory.parseString("""
                procactor.transport.kind = tcp
                procactor.transport.max-frame-size = 1 MiB
                procactor.process.terminate-grace-period = 1500ms
                procactor.dispatcher.threads = 3
                procactor.serialization.registrations { "java.lang.Thread" = 1000 }
                """).withFallback(ConfigFactory.defaultReference()).resolve());

        assertThat(s.transport().kind()).isEqualTo(TransportKind.TCP);
        assertThat(s.transport().maxFrameSize()).isEqualTo(1024 * 1024);
        assertThat(s.terminateGracePeriod()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.effectiveDispatcherThreads()).isEqualTo(3);
        assertThat(s.registrations()).containsEntry("java.lang.Thread", 1000);
    }

    @Test
    void defaultsComeFromReferenceConf() {
        Settings s = Settings.from(ConfigFactory.defaultReference());

        assertThat(s.transport().maxFrameSize()).isEqualTo(8 * 1024 * 1024);
        assertThat(s.terminateGracePeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.startTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.throughput()).isEqualTo(100);
        assertThat(s.registrations()).isEmpty();
    }
}
