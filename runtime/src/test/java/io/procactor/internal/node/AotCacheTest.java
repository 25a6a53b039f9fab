package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.ProcessOptions;
import io.procactor.Props;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * On JDK 25 and later (skipped before): the first child of a jar class path (without JVM options
 * of its own) writes the JDK's AOT cache as it exits, through a second JVM it starts to assemble it. A writer killed while that JVM
 * works publishes nothing and leaves no process and no file behind; the next writer publishes the
 * cache, and a later child maps it.
 */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class AotCacheTest {
    private static final Duration T = Timeouts.seconds(60);

    @TempDir
    Path tmp;

    @BeforeEach
    void onJdk25OrLater() {
        assumeTrue(Runtime.version().feature() >= 25, "the AOT cache is for JDK 25 and later; this is " + Runtime.version());
    }

    @Test
    void aWriterKilledWhileItsCacheIsAssembledPublishesNothingAndTheNextWritersCacheIsMapped() throws Exception {
        List<String> jars = ArchiveWriterTerminateTest.jarClassPath(tmp);
        String classPath = String.join(File.pathSeparator, jars);
        Path archive = ClassDataSharing.forClassPath(classPath, true).archive();
        assertThat(archive.getFileName().toString()).endsWith(".aot");
        var config = ConfigFactory.empty().withValue("procactor.child.class-path", ConfigValueFactory.fromIterable(jars));
        try (ActorSystem system = ActorSystem.create("aot-cache", config)) {
            // a cache written under its own JVM options (another GC, say) could be refused by every other child
            ActorProcess tuned = system.spawnProcess(Props.create(TestActors.Doubler.class), "tuned",
                    ProcessOptions.defaults().jvmOptions("-Xmx96m"));
            assertThat(tuned.ref().ask(21, T).get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(42);
            assertThat(cmdline(tuned.pid())).as("a process with JVM options of its own does not write it")
                    .noneMatch(a -> a.startsWith("-XX:AOTCacheOutput="));
            tuned.terminate();
            tuned.join(T);

            ActorProcess first = spawnAndAsk(system, "first");
            long pid = first.pid();
            assertThat(cmdline(pid)).anyMatch(a -> a.startsWith("-XX:AOTCacheOutput=" + archive + "."));

            first.terminate();
            // its actors are done; its JVM records what it ran, then starts the JVM that assembles the cache
            List<ProcessHandle> assembler = await().atMost(T).pollInterval(Duration.ofMillis(5))
                    .until(() -> ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of()), l -> !l.isEmpty());
            first.kill();
            ExitStatus killed = first.onExit().get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(killed.signal()).as("%s", killed).isEqualTo(9);
            await().atMost(T).untilAsserted(() -> assertThat(assembler).noneMatch(ProcessHandle::isAlive));
            assertThat(archive).as("a killed writer's cache is not published").doesNotExist();
            assertThat(leftovers(archive)).as("nor written after all by the assembler it started").isEmpty();

            ActorProcess second = spawnAndAsk(system, "second");
            assertThat(cmdline(second.pid())).as("the next child writes it").anyMatch(a -> a.startsWith("-XX:AOTCacheOutput="));
            second.terminate();
            assertThat(second.onExit().get(T.toMillis(), TimeUnit.MILLISECONDS).code()).isZero();
            assertThat(archive).as("published before its exit was reported").exists();
            assertThat(leftovers(archive)).isEmpty();

            ActorProcess third = spawnAndAsk(system, "third");
            assertThat(cmdline(third.pid())).contains("-XX:AOTCache=" + archive);
            assertThat(Files.readString(Path.of("/proc/" + third.pid() + "/maps")))
                    .as("the child maps the cache").contains(archive.toString());
            third.terminate();
            third.join(T);
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    private static ActorProcess spawnAndAsk(ActorSystem system, String name) throws Exception {
        ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), name);
        assertThat(p.ref().ask(21, T).get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(42);
        return p;
    }

    private static List<String> cmdline(long pid) throws Exception {
        return List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
    }

    /** Temporary files of {@code archive}'s writers (the cache, the recording) still there. */
    private static List<Path> leftovers(Path archive) throws Exception {
        try (Stream<Path> files = Files.list(archive.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(archive.getFileName() + ".")
                    && f.toString().contains(".tmp")).toList();
        }
    }
}
