package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.internal.node.JdkFlags;
import io.procactor.testkit.ProcactorTest;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.TestProbe;
import io.procactor.testkit.Timeouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@ProcactorTest
@SpawnsJvms
class SmokeTest {
    @Test
    void askAcrossProcess(ActorSystem system) throws Exception {
        ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "d1");
        Integer r = p.ref().<Integer>ask(21, Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS);
        assertThat(r).isEqualTo(42);
        System.out.println("whoami " + p.ref().ask("whoami", Duration.ofSeconds(5)).get());
    }

    /**
     * The native-heap trim is given exactly when this JDK starts with the flag unlocked by nothing
     * (a JDK that did not know it would stop every child), and not on a libc other than glibc.
     */
    @Test
    void theTrimFlagIsGivenExactlyWhenThisJdkStartsWithIt() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TrimNativeHeapInterval=5000", "-version").redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(Timeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        boolean quietStart = jvm.exitValue() == 0 && !output.contains("warning");
        assertThat(!JdkFlags.trimNativeHeap().isEmpty()).as(output).isEqualTo(quietStart);
    }

    /**
     * A child runs with the flags that keep its idle JVM asleep and small, before the configured options (which
     * may override them: HotSpot takes the last), and actually starts with them on this JDK.
     */
    @Test
    void aChildRunsWithTheIdleFlagsBeforeItsOwnOptions(ActorSystem system) throws Exception {
        ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "flags",
                ProcessOptions.defaults().jvmOptions("-XX:GuaranteedSafepointInterval=500"));
        assertThat(p.ref().<Integer>ask(1, Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS)).isEqualTo(2);
        String cmd = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/" + p.pid() + "/cmdline")),
                java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        int feature = Runtime.version().feature();
        if (feature >= 17 && feature <= 25) {
            assertThat(cmd).contains("-XX:AsyncDeflationInterval=10000");
            assertThat(cmd.indexOf("-XX:GuaranteedSafepointInterval=0"))
                    .isGreaterThan(0).isLessThan(cmd.indexOf("-XX:GuaranteedSafepointInterval=500"));
        }
        if (!JdkFlags.trimNativeHeap().isEmpty()) {
            assertThat(cmd.indexOf("-XX:TrimNativeHeapInterval=")).as("freed C heap goes back to the system")
                    .isGreaterThan(0).isLessThan(cmd.indexOf("-XX:GuaranteedSafepointInterval=500"));
        }
        assertThat(cmd.indexOf("-Djava.nio.channels.spi.SelectorProvider="))
                .as("the start-up shortcuts come before the process's own options too, which may override them")
                .isGreaterThan(0).isLessThan(cmd.indexOf("-XX:GuaranteedSafepointInterval=500"));
    }

    @Test
    void aChildLoadsNettysLibraryFromTheNodesPrivateCopyAndIsToldItsSelectorProvider(ActorSystem system) throws Exception {
        ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "shortcuts");
        assertThat(p.ref().<Integer>ask(1, Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS)).isEqualTo(2);
        String cmd = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/" + p.pid() + "/cmdline")),
                java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        assertThat(cmd).contains("-Djava.nio.channels.spi.SelectorProvider="
                + java.nio.channels.spi.SelectorProvider.provider().getClass().getName());
        java.util.Optional<io.procactor.transport.NativeLibrary> lib = io.procactor.transport.NativeLibrary.ofEpoll();
        org.junit.jupiter.api.Assumptions.assumeTrue(lib.isPresent(), "no epoll library here");
        String privateCopies = io.procactor.internal.node.PrivateFiles.userTempDirectory().resolve("native") + "/";
        List<String> mapped = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + p.pid() + "/maps")).stream()
                .filter(l -> l.contains(lib.get().fileName().replace(".so", ""))).toList();
        assertThat(mapped).as("the child maps the library from the node's copy, and no extracted one").isNotEmpty()
                .allMatch(l -> l.contains(privateCopies), "in " + privateCopies);
    }

    @Test
    void tellAcrossProcessWithTheProbeAsSender(ActorSystem system, TestProbe probe) {
        ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "d2");
        probe.send(p.ref(), 21);
        probe.expectMessage(42, Duration.ofSeconds(20));
        assertThat(probe.lastSender()).isEqualTo(p.ref());
    }
}
