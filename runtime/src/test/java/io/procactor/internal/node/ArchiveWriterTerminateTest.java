package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The first child of a jar class path writes the class-data sharing archive when its JVM exits,
 * after its actors stopped and it said {@code Exiting}: seconds on a loaded machine. A terminate
 * must not kill it for that at the end of the grace period (then the archive is lost, and the
 * next run's first child is killed the same way: {@code bench all}'s tell sink), and the archive
 * is published by the time {@code join()} returns.
 */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class ArchiveWriterTerminateTest {
    private static final String ALLOWING = "is writing the class-data sharing archive as it exits";

    @TempDir
    Path tmp;

    /** Holds its JVM's exit (after its actors are done) until a file exists: a slow archive write, on demand. */
    public static final class SlowExit extends Actor {
        private final String release;

        public SlowExit(String release) {
            this.release = release;
        }

        @Override
        protected void preStart() {
            Path file = Path.of(release);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!Files.exists(file) && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
            }, "slow-exit"));
        }

        @Override
        protected void onReceive(Object message) {
            reply(message);
        }
    }

    @Test
    void theChildWritingTheArchiveIsNotKilledAtTheEndOfTheGracePeriodAndItsArchiveIsPublished() throws Exception {
        List<String> jars = jarClassPath(tmp);
        String classPath = String.join(File.pathSeparator, jars);
        Path release = tmp.resolve("release");
        Duration grace = Timeouts.seconds(2);
        var config = ConfigFactory.empty()
                .withValue("procactor.child.class-path", ConfigValueFactory.fromIterable(jars))
                .withValue("procactor.process.terminate-grace-period", ConfigValueFactory.fromAnyRef(grace.toMillis() + "ms"));
        Logger handleLog = (Logger) LoggerFactory.getLogger(ChildHandle.class);
        Level level = handleLog.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        handleLog.addAppender(appender);
        handleLog.setLevel(Level.DEBUG);
        try (ActorSystem system = ActorSystem.create("archive-writer", config)) {
            ActorProcess writer = system.spawnProcess(Props.create(SlowExit.class, release.toString()), "writer");
            assertThat(writer.ref().ask("up", Timeouts.seconds(60)).get(60, TimeUnit.SECONDS)).isEqualTo("up");

            writer.terminate();
            // the grace period ends while its JVM still exits: the node either allows it more time, or kills it
            await().atMost(grace.plus(Timeouts.seconds(30)))
                    .until(() -> !writer.isAlive() || logged(appender).stream().anyMatch(m -> m.contains(ALLOWING)));
            Files.createFile(release);
            ExitStatus status = writer.onExit().get(Timeouts.seconds(60).toMillis(), TimeUnit.MILLISECONDS);

            assertThat(status.signal()).as("killed? %s; node log: %s", status, logged(appender)).isZero();
            assertThat(status.reason()).isEqualTo(ExitStatus.Reason.TERMINATED);
            assertThat(status.code()).isZero();
            assertThat(publishedArchive(classPath)).as("published before its exit was reported").isNotNull();
        } finally {
            handleLog.detachAppender(appender);
            handleLog.setLevel(level);
            Path archive = publishedArchive(classPath);
            if (archive != null) {
                Files.delete(archive);
            }
        }
    }

    private static List<String> logged(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The archive published for {@code classPath}, or null. */
    static Path publishedArchive(String classPath) {
        Path archive = ClassDataSharing.forClassPath(classPath, true).archive();
        return archive != null && Files.exists(archive) ? archive : null;
    }

    /** This JVM's class path with each directory packed into a jar of its own in {@code tmp} (class-data sharing takes jars only). */
    static List<String> jarClassPath(Path tmp) throws IOException {
        List<String> jars = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path entry = Path.of(e);
            if (Files.isDirectory(entry)) {
                Path jar = tmp.resolve((n++) + "-" + entry.getFileName() + ".jar");
                try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                     Stream<Path> files = Files.walk(entry)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        out.putNextEntry(new JarEntry(entry.relativize(f).toString().replace(File.separatorChar, '/')));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
                jars.add(jar.toString());
            } else if (Files.isRegularFile(entry) && e.endsWith(".jar")) {
                jars.add(e);
            }
        }
        return jars;
    }
}
