package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.procactor.internal.config.ConfigLoader;
import io.procactor.internal.config.ConfigText;
import io.procactor.internal.config.Settings;
import io.procactor.transport.TransportKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Configuration loading and validation, one test per rule: every error names the full key path,
 * what is allowed, the value and where it was set (file and line from a real file). Layers are
 * given explicitly (system properties, environment), so nothing depends on this JVM's own.
 */
class ConfigValidationTest {
    @TempDir
    Path dir;

    // ---- helpers ----

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static ConfigLoader.Sources sources() {
        return new ConfigLoader.Sources(new Properties(), Map.of(), List.of(), null, null, ConfigValidationTest.class.getClassLoader());
    }

    /** The settings of {@code content}, loaded as a topology file would be. */
    private Settings settingsOf(String content) throws IOException {
        Path f = file("app.conf", content);
        return Settings.from(ConfigLoader.load(sources().withTopology(ConfigLoader.parseFile(f))));
    }

    private String failureOf(String content) throws IOException {
        Path f = file("app.conf", content);
        Config c = ConfigLoader.load(sources().withTopology(ConfigLoader.parseFile(f)));
        try {
            Settings.from(c);
        } catch (ConfigurationException e) {
            return e.getMessage();
        }
        throw new AssertionError("no ConfigurationException for\n" + content);
    }

    private String at(int line) {
        return "(set at " + dir.resolve("app.conf") + ": " + line + ")";
    }

    // ---- value rules ----

    @Test
    void aValueOfTheWrongTypeNamesKeyRuleValueAndFileAndLine() throws IOException {
        String m = failureOf("# comment\nprocactor.mailbox.capacity = lots\n");

        assertThat(m).isEqualTo("procactor.mailbox.capacity must be an integer of 1 or more, was [lots] " + at(2));
    }

    @Test
    void aValueOutOfRangeNamesTheRange() throws IOException {
        String m = failureOf("procactor.dispatcher.throughput = 0\n");

        assertThat(m).isEqualTo("procactor.dispatcher.throughput must be an integer of 1 or more, was [0] " + at(1));
    }

    @Test
    void sparesMustBeZeroOrMoreAndStartAtAKnownMoment() throws IOException {
        assertThat(failureOf("procactor.child.spares = -1\n"))
                .isEqualTo("procactor.child.spares must be an integer of 0 or more, was [-1] " + at(1));
        assertThat(failureOf("procactor.child.spares-start = eager\n"))
                .isEqualTo("procactor.child.spares-start must be one of first-spawn, system-start, was [eager] " + at(1));
        Settings s = settingsOf("procactor.child { spares = 2, spares-start = system-start }\n");
        assertThat(s.spares()).isEqualTo(2);
        assertThat(s.sparesAtStart()).isTrue();
    }

    @Test
    void aSizeOutOfRangeShowsTheValueAsWritten() throws IOException {
        String m = failureOf("procactor.transport.max-frame-size = 128 MiB\n");

        assertThat(m).isEqualTo("procactor.transport.max-frame-size must be a size between 1 KiB and 64 MiB (e.g. 8 MiB, 65536), "
                + "was [128 MiB] " + at(1));
    }

    @Test
    void aDurationThatIsNotOneOrNotPositiveIsRejected() throws IOException {
        assertThat(failureOf("procactor.process.start-timeout = soon\n"))
                .isEqualTo("procactor.process.start-timeout must be a positive duration (e.g. 10s, 500ms), was [soon] " + at(1));
        assertThat(failureOf("procactor.mailbox.block-timeout = 0s\n"))
                .isEqualTo("procactor.mailbox.block-timeout must be a positive duration (e.g. 10s, 500ms), was [0s] " + at(1));
    }

    @Test
    void anUnknownEnumValueListsTheAllowedValues() throws IOException {
        assertThat(failureOf("procactor.mailbox.overflow = drop-all\n")).isEqualTo(
                "procactor.mailbox.overflow must be one of fail, drop-newest, drop-oldest, block, was [drop-all] " + at(1));
        assertThat(failureOf("procactor.transport.kind = carrier-pigeon\n")).isEqualTo(
                "procactor.transport.kind must be one of auto, epoll, nio-unix, tcp, was [carrier-pigeon] " + at(1));
        assertThat(failureOf("procactor.supervision.directive = ignore\n")).isEqualTo(
                "procactor.supervision.directive must be one of resume, restart, stop, escalate, was [ignore] " + at(1));
    }

    @Test
    void aBooleanThatIsNotOneListsTheSpellings() throws IOException {
        assertThat(failureOf("procactor.shutdown.hook = maybe\n")).isEqualTo(
                "procactor.shutdown.hook must be a boolean (on/off, true/false, yes/no), was [maybe] " + at(1));
    }

    @Test
    void aJvmOptionWithoutDashIsRejected() throws IOException {
        assertThat(failureOf("procactor.process.jvm-options = [\"-Xmx64m\", \"Xss1m\"]\n"))
                .startsWith("procactor.process.jvm-options must be a list of JVM options, each starting with '-'")
                .contains("[Xss1m] does not")
                .endsWith("was [[\"-Xmx64m\",\"Xss1m\"]] " + at(1));
    }

    @Test
    void aHeartbeatTimeoutShorterThanTwoIntervalsIsRejected() throws IOException {
        assertThat(failureOf("procactor.process { heartbeat-interval = 1s\n heartbeat-timeout = 1500ms }\n")).isEqualTo(
                "procactor.process.heartbeat-timeout must be at least twice procactor.process.heartbeat-interval [1s], "
                        + "was [1500ms] " + at(2));
    }

    @Test
    void aRegistrationIdBelowTheApplicationRangeIsRejected() throws IOException {
        assertThat(failureOf("procactor.serialization.registrations { \"com.acme.Order\" = 12 }\n")).isEqualTo(
                "procactor.serialization.registrations.\"com.acme.Order\" must be a registration id (an integer) of 1000 or more, "
                        + "was [12] " + at(1));
    }

    @Test
    void aRegisteredClassThatDoesNotExistFailsSystemCreationNamingKeyAndFile() throws IOException {
        Path f = file("app.conf", "procactor.serialization.registrations {\n  \"com.acme.Missing\" = 1000\n}\n");
        Config c = ConfigLoader.load(sources().withTopology(ConfigLoader.parseFile(f)));

        assertThatThrownBy(() -> ActorSystem.create("config-validation", c).close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("procactor.serialization.registrations.\"com.acme.Missing\" must name a class on the class path, "
                        + "was [com.acme.Missing] " + at(2) + "; fix the class name or add its jar");
    }

    // ---- unknown keys ----

    @Test
    void aMisspelledKeyIsNamedWithItsLineAndTheClosestKnownKey() throws IOException {
        String m = failureOf("procactor {\n  transport {\n    max-frame-sise = 1 MiB\n  }\n}\n");

        assertThat(m).isEqualTo("procactor.transport.max-frame-sise is not a procactor setting " + at(3)
                + "; did you mean procactor.transport.max-frame-size? Every setting is listed, with its meaning and default, "
                + "in reference.conf");
    }

    @Test
    void aKeyInTheWrongSectionIsMatchedByItsLastSegment() throws IOException {
        assertThat(failureOf("procactor.max-frame-size = 1 MiB\n"))
                .startsWith("procactor.max-frame-size is not a procactor setting " + at(1))
                .contains("did you mean procactor.transport.max-frame-size?");
    }

    @Test
    void aMisspelledSectionNamesTheKeyUnderIt() throws IOException {
        assertThat(failureOf("procactor.transprt {\n  kind = tcp\n}\n"))
                .startsWith("procactor.transprt.kind is not a procactor setting " + at(2))
                .contains("did you mean procactor.transport.kind?");
    }

    @Test
    void aKeyFarFromEveryKnownOneGetsNoGuess() throws IOException {
        assertThat(failureOf("procactor.zzzzzzzzzzzz = 1\n"))
                .isEqualTo("procactor.zzzzzzzzzzzz is not a procactor setting " + at(1)
                        + " Every setting is listed, with its meaning and default, in reference.conf");
    }

    @Test
    void aValueWhereASectionBelongsAndASectionWhereAValueBelongsAreRejected() throws IOException {
        assertThat(failureOf("procactor.mailbox = 5\n")).isEqualTo(
                "procactor.mailbox must be an object with the keys [block-timeout, capacity, overflow], was [5] " + at(1));
        assertThat(failureOf("procactor.mailbox.capacity { max = 5 }\n")).isEqualTo(
                "procactor.mailbox.capacity must be a single value like its default [100000], not an object, was [{\"max\":5}] "
                        + at(1));
    }

    @Test
    void freeFormSubtreesAndLauncherPropertiesAreNotUnknownKeys() throws IOException {
        Settings s = settingsOf("""
                procactor.serialization.registrations { "java.lang.Thread" = 1000 }
                procactor.topology.anything.goes = 1
                procactor.home = /opt/procactor
                procactor.test.node = true
                """);

        assertThat(s.registrations()).containsEntry("java.lang.Thread", 1000);
    }

    @Test
    void theChildClassPathMustBeAListOfExistingEntries() throws IOException {
        Path jar = Files.writeString(dir.resolve("app.jar"), "");
        assertThat(settingsOf("procactor.child.class-path = [\"" + jar + "\", \"" + dir + "\"]\n").childClassPath())
                .containsExactly(jar, dir);
        assertThat(settingsOf("").childClassPath()).isEmpty();

        assertThat(failureOf("procactor.child.class-path = \"app.jar\"\n")).isEqualTo("procactor.child.class-path must be a "
                + "list of jars and directories (e.g. [\"lib/app.jar\", \"build/classes\"]), or [] to let procactor find the "
                + "children's class path, was [app.jar] " + at(1));
        Path gone = dir.resolve("gone.jar");
        assertThat(failureOf("procactor.child.class-path = [\"" + gone + "\"]\n"))
                .startsWith("procactor.child.class-path must be a list of jars and directories")
                .contains("; [" + gone + "] does not exist (" + gone + "), was [");
    }

    @Test
    void theChildClassPathCanBeSetFromTheCommandLineAndSystemPropertiesUnlikeTheLaunchersProcactorChild() throws IOException {
        Config set = ConfigLoader.load(sources().withOverrides(List.of("procactor.child.class-path=[\"" + dir + "\"]")));
        assertThat(Settings.from(set).childClassPath()).containsExactly(dir);

        Properties props = new Properties();
        props.setProperty("procactor.child", "worker-1"); // what a child JVM carries: still not a setting
        Config c = ConfigLoader.load(sources().withSystemProperties(props));
        assertThat(Settings.from(c).childClassPath()).isEmpty();

        Config plain = ConfigLoader.load(sources().withOverrides(List.of("procactor.child=worker-1")));
        assertThatThrownBy(() -> Settings.from(plain)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("procactor.child is not a procactor setting (set at --set procactor.child=worker-1); "
                        + "it is a system property of the launcher");
    }

    // ---- loading: files, includes, substitutions, layers ----

    @Test
    void includesAndSubstitutionsWorkAsInHocon() throws IOException {
        file("common.conf", "base-timeout = 7s\nprocactor.mailbox.capacity = 42\n");
        Path f = file("app.conf", """
                include "common.conf"
                procactor.process.start-timeout = ${base-timeout}
                procactor.process.terminate-grace-period = ${?NO_SUCH_VARIABLE_PROCACTOR_TEST}
                """);
        Config c = ConfigLoader.load(sources().withTopology(ConfigLoader.parseFile(f)));
        Settings s = Settings.from(c);

        assertThat(s.startTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(s.mailboxCapacity()).isEqualTo(42);
        assertThat(s.terminateGracePeriod()).isEqualTo(Duration.ofSeconds(5)); // optional substitution: default kept
        assertThat(ConfigText.where(c.getValue("procactor.mailbox.capacity").origin()))
                .isEqualTo(dir.resolve("common.conf") + ": 2");
    }

    @Test
    void substitutionsResolveAcrossLayers() throws IOException {
        Path application = file("application.conf", "procactor.process.start-timeout = ${timeouts.start}\n");
        Path topology = file("topology.conf", "timeouts.start = 3s\n");

        Config c = ConfigLoader.load(sources().withApplicationFile(application)
                .withTopology(ConfigLoader.parseFile(topology))
                .withOverrides(List.of("timeouts.start=9s")));

        assertThat(Settings.from(c).startTimeout()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void anUnresolvedSubstitutionNamesFileAndLine() throws IOException {
        Path f = file("app.conf", "a = 1\nprocactor.process.start-timeout = ${missing.key}\n");

        assertThatThrownBy(() -> ConfigLoader.load(sources().withTopology(ConfigLoader.parseFile(f))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("unresolved substitution in " + f + ": 2")
                .hasMessageContaining("${missing.key}");
    }

    @Test
    void aSyntaxErrorNamesFileAndLine() throws IOException {
        Path f = file("app.conf", "procactor {\n  mailbox.capacity = 5\n");

        assertThatThrownBy(() -> ConfigLoader.parseFile(f))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("syntax error in " + f + ": ");
    }

    @Test
    void systemPropertiesBeatEveryOtherLayer() throws IOException {
        Properties props = new Properties();
        props.setProperty("procactor.mailbox.capacity", "11");
        Path application = file("application.conf", "procactor.mailbox.capacity = 44\n");
        Path topology = file("topology.conf", "procactor.mailbox.capacity = 33\n");

        Config c = ConfigLoader.load(sources().withSystemProperties(props)
                .withEnvironment(Map.of("CONFIG_FORCE_procactor_mailbox_capacity", "22"))
                .withOverrides(List.of("procactor.mailbox.capacity=23"))
                .withTopology(ConfigLoader.parseFile(topology))
                .withApplicationFile(application));

        assertThat(Settings.from(c).mailboxCapacity()).isEqualTo(11);
        assertThat(ConfigText.where(c.getValue("procactor.mailbox.capacity").origin()))
                .isEqualTo("system property -Dprocactor.mailbox.capacity");
    }

    @Test
    void aMisspelledSystemPropertyIsNamedAsSuch() {
        Properties props = new Properties();
        props.setProperty("procactor.transprt.kind", "tcp");
        props.setProperty("procactor.home", "/opt/procactor"); // the launcher's, not a setting
        Config c = ConfigLoader.load(sources().withSystemProperties(props));

        assertThatThrownBy(() -> Settings.from(c))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("procactor.transprt.kind is not a procactor setting (set at system property -Dprocactor.transprt.kind); "
                        + "did you mean procactor.transport.kind? Every setting is listed, with its meaning and default, "
                        + "in reference.conf");
        assertThat(c.hasPath("procactor.home")).isFalse();
    }

    @Test
    void environmentOverridesBeatSetTopologyAndFilesButNotSystemProperties() throws IOException {
        Path topology = file("topology.conf", "procactor.transport.max-frame-size = 2 MiB\nprocactor.process.stderr-tail-lines = 5\n");
        Map<String, String> env = Map.of(
                "CONFIG_FORCE_procactor_transport_max__frame__size", "1 MiB",
                "CONFIG_FORCE_procactor_process_stderr__tail__lines", "7",
                "CONFIG_FORCE_my___app_x", "y",
                "PATH", "/usr/bin");
        Properties props = new Properties();
        props.setProperty("procactor.process.stderr-tail-lines", "9");

        Config c = ConfigLoader.load(sources().withEnvironment(env).withSystemProperties(props)
                .withOverrides(List.of("procactor.transport.max-frame-size=4 MiB"))
                .withTopology(ConfigLoader.parseFile(topology)));
        Settings s = Settings.from(c);

        assertThat(s.transport().maxFrameSize()).isEqualTo(1024 * 1024);
        assertThat(s.stderrTailLines()).isEqualTo(9);
        assertThat(c.getString("my_app.x")).isEqualTo("y");
        assertThat(ConfigText.where(c.getValue("procactor.transport.max-frame-size").origin()))
                .isEqualTo("environment variable CONFIG_FORCE_procactor_transport_max__frame__size");
    }

    @Test
    void anInvalidEnvironmentOverrideNamesTheVariable() {
        Map<String, String> env = Map.of("CONFIG_FORCE_procactor_dispatcher_threads", "many");
        Config c = ConfigLoader.load(sources().withEnvironment(env));

        assertThatThrownBy(() -> Settings.from(c)).hasMessage("procactor.dispatcher.threads must be an integer of 0 or more, "
                + "was [many] (set at environment variable CONFIG_FORCE_procactor_dispatcher_threads)");
        assertThatThrownBy(() -> ConfigLoader.environmentOverrides(Map.of("CONFIG_FORCE_a____b", "1")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("CONFIG_FORCE_a____b");
    }

    @Test
    void setOverridesTakeHoconValuesAndTheLastOneWins() {
        Config c = ConfigLoader.load(sources().withOverrides(List.of(
                "procactor.process.jvm-options=[\"-Xmx32m\"]",
                "procactor.transport.kind=nio-unix",
                "procactor.transport.kind=tcp",
                "procactor.transport.socket-dir=/tmp//x",
                "app.greeting=hello world")));
        Settings s = Settings.from(c);

        assertThat(s.jvmOptions()).containsExactly("-Xmx32m");
        assertThat(s.transport().kind()).isEqualTo(TransportKind.TCP);
        assertThat(s.socketDir()).isEqualTo(Path.of("/tmp//x")); // "//" is no comment here
        assertThat(c.getString("app.greeting")).isEqualTo("hello world");
        assertThat(ConfigText.where(c.getValue("procactor.transport.kind").origin())).isEqualTo("--set procactor.transport.kind=tcp");
    }

    @Test
    void aSetWithoutEqualsSignIsRejectedWithAnExample() {
        assertThatThrownBy(() -> ConfigLoader.overrides(List.of("procactor.transport.kind")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("--set [procactor.transport.kind] is not key=value; e.g. --set procactor.topology.pools.workers.size=3");
    }

    @Test
    void aSetValueOfTheWrongTypeNamesTheSetOption() {
        Config c = ConfigLoader.load(sources().withOverrides(List.of("procactor.mailbox.capacity=-3")));

        assertThatThrownBy(() -> Settings.from(c)).hasMessage(
                "procactor.mailbox.capacity must be an integer of 1 or more, was [-3] (set at --set procactor.mailbox.capacity=-3)");
    }

    @Test
    void aSetKeyThatIsNoSettingFailsLikeAnUnknownKeyInAFile() {
        Config c = ConfigLoader.load(sources().withOverrides(List.of("procactor.mailbox.capcity=5")));

        assertThatThrownBy(() -> Settings.from(c)).isInstanceOf(ConfigurationException.class).hasMessage(
                "procactor.mailbox.capcity is not a procactor setting (set at --set procactor.mailbox.capcity=5); did you mean "
                        + "procactor.mailbox.capacity? Every setting is listed, with its meaning and default, in reference.conf");
    }

    @Test
    void aSetOfALauncherPropertyFailsBecauseNothingReadsIt() {
        Config c = ConfigLoader.load(sources().withOverrides(List.of("procactor.home=/opt/procactor", "procactor.test.x=1")));

        assertThatThrownBy(() -> Settings.from(c)).isInstanceOf(ConfigurationException.class).hasMessage(
                "procactor.home is not a procactor setting (set at --set procactor.home=/opt/procactor); it is a system property "
                        + "of the launcher, read before any configuration: pass -Dprocactor.home=... to java (or "
                        + "PROCACTOR_JAVA_OPTS) instead\n"
                        + "procactor.test.x is not a procactor setting (set at --set procactor.test.x=1); it is a system property "
                        + "of the launcher, read before any configuration: pass -Dprocactor.test.x=... to java (or "
                        + "PROCACTOR_JAVA_OPTS) instead");
    }

    @Test
    void setKeysOutsideProcactorStillWork() {
        Config c = ConfigLoader.load(sources().withOverrides(List.of("my-app.workers=4", "procactor.mailbox.capacity=9")));

        assertThat(Settings.from(c).mailboxCapacity()).isEqualTo(9);
        assertThat(c.getInt("my-app.workers")).isEqualTo(4);
    }

    @Test
    void theSectionsAboveASetValueSayTheyComeFromTheSet() {
        Config c = ConfigLoader.load(sources().withOverrides(List.of("procactor.topology.pools.w.size=3")));

        assertThat(ConfigText.where(c.getValue("procactor.topology.pools.w").origin()))
                .isEqualTo("--set procactor.topology.pools.w.size=3");
    }

    // ---- every problem at once ----

    @Test
    void everyProblemIsReportedOnePerLineInTheOrderFound() throws IOException {
        String m = failureOf("""
                procactor {
                  mailbox.capacity = lots
                  transprt { kind = tcp, max-frame-sise = 1 MiB }
                  transport.kind = carrier-pigeon
                  shutdown.hook = maybe
                }
                """);

        assertThat(m.lines()).containsExactly(
                "procactor.transprt.kind is not a procactor setting " + at(3) + "; did you mean procactor.transport.kind? "
                        + "Every setting is listed, with its meaning and default, in reference.conf",
                "procactor.transprt.max-frame-sise is not a procactor setting " + at(3) + "; did you mean "
                        + "procactor.transport.max-frame-size? Every setting is listed, with its meaning and default, in reference.conf",
                "procactor.transport.kind must be one of auto, epoll, nio-unix, tcp, was [carrier-pigeon] " + at(4),
                "procactor.mailbox.capacity must be an integer of 1 or more, was [lots] " + at(2),
                "procactor.shutdown.hook must be a boolean (on/off, true/false, yes/no), was [maybe] " + at(5));
    }

    @Test
    void aKeyReadTwiceOrUnderASectionOfTheWrongTypeIsReportedOnce() throws IOException {
        // the wrong shape is found while checking the keys, before any value is read
        assertThat(failureOf("procactor.process.heartbeat-interval = often\nprocactor.mailbox = 5\n").lines()).containsExactly(
                "procactor.mailbox must be an object with the keys [block-timeout, capacity, overflow], was [5] " + at(2),
                "procactor.process.heartbeat-interval must be a positive duration (e.g. 10s, 500ms), was [often] " + at(1));
    }

    @Test
    void settingsAndRegistrationsProblemsComeTogether() throws IOException {
        String m = failureOf("""
                procactor.serialization.registrations { "com.acme.A" = 1, "com.acme.B" = 2 }
                procactor.dispatcher.threads = -1
                """);

        assertThat(m.lines()).hasSize(3).anySatisfy(l -> assertThat(l).startsWith(
                "procactor.serialization.registrations.\"com.acme.A\" must be a registration id"))
                .anySatisfy(l -> assertThat(l).startsWith("procactor.serialization.registrations.\"com.acme.B\""))
                .anySatisfy(l -> assertThat(l).startsWith("procactor.dispatcher.threads must be an integer of 0 or more"));
    }

    @Test
    void systemCreationFailsWithAConfigurationExceptionBeforeAnyProcessStarts() {
        assertThatThrownBy(() -> ActorSystem.create("config-validation",
                ConfigFactory.parseString("procactor.dispatcher.threads = -1")).close())
                .isInstanceOf(ConfigurationException.class)
                .isInstanceOf(ActorException.class)
                .hasMessageStartingWith("procactor.dispatcher.threads must be an integer of 0 or more, was [-1]");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isZero();
    }

    @Test
    void createWithoutConfigStillLoadsTheDefaults() {
        try (ActorSystem system = ActorSystem.create("config-defaults")) {
            assertThat(system.config().getInt("procactor.mailbox.capacity")).isEqualTo(100_000);
        }
    }

    // ---- rendering and log-config-on-start ----

    @Test
    void renderPrintsOneKeyPerLineWithOriginsAndMasksSecrets() throws IOException {
        Path f = file("app.conf", """
                procactor.topology.processes.p.environment { API_TOKEN = abc123, DB_PASSWORD = hunter2, LANG = C }
                procactor.mailbox.capacity = 77
                """);
        Config c = ConfigLoader.load(sources().withTopology(ConfigLoader.parseFile(f)));

        String text = ConfigText.render(c, "procactor", true);

        assertThat(text).doesNotContain("abc123", "hunter2")
                .contains("procactor.topology.processes.p.environment.API_TOKEN = \"********\"")
                .contains("procactor.topology.processes.p.environment.LANG = \"C\"");
        assertThat(text.lines().filter(l -> l.startsWith("procactor.mailbox.capacity = 77"))).singleElement()
                .satisfies(l -> assertThat(l).endsWith("# " + f + ": 2"));
        assertThat(text.lines()).allMatch(l -> l.startsWith("procactor."));
        assertThat(ConfigFactory.parseString(ConfigText.render(c, "procactor", false)).getInt("procactor.mailbox.capacity"))
                .as("the rendering is HOCON").isEqualTo(77);
    }

    @Test
    void logConfigOnStartLogsTheEffectiveConfigurationMasked() {
        Logger logger = (Logger) LoggerFactory.getLogger("procactor.config");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (ActorSystem system = ActorSystem.create("config-logged", ConfigFactory.parseString("""
                procactor.log-config-on-start = on
                procactor.topology.processes.p.environment.SECRET_KEY = sesame
                """))) {
            assertThat(appender.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                    .startsWith("Effective configuration of actor system [config-logged]:")
                    .contains("procactor.log-config-on-start = \"on\"", "procactor.mailbox.capacity = 100000")
                    .contains("SECRET_KEY = \"********\"")
                    .doesNotContain("sesame"));
        } finally {
            logger.detachAppender(appender);
        }
    }
}
