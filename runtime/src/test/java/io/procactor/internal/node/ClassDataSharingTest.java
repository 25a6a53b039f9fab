package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {
    @Test
    void classPathsWithDirectoriesGetNoArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar + java.io.File.pathSeparator + dir, true);
        assertThat(cds.options().jvmOptions()).isEmpty();
        assertThat(ClassDataSharing.forClassPath(jar.toString(), false).options().jvmOptions()).isEmpty();
    }

    @Test
    void oneChildWritesTheArchiveThenEveryChildUsesIt(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("unique-" + System.nanoTime() + ".jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true);

        ClassDataSharing.Launch writer = cds.options();
        assertThat(writer.writes()).isNotNull();
        assertThat(writer.jvmOptions()).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
        assertThat(cds.options().jvmOptions()).as("a second child while the first writes").isEmpty();

        Files.writeString(writer.writes(), "archive"); // what the JVM does at exit
        cds.written(writer.writes());

        ClassDataSharing.Launch user = cds.options();
        assertThat(user.writes()).isNull();
        assertThat(user.jvmOptions()).anyMatch(o -> o.startsWith("-XX:SharedArchiveFile="));
        Path archive = Path.of(user.jvmOptions().stream().filter(o -> o.startsWith("-XX:SharedArchiveFile="))
                .findFirst().orElseThrow().substring("-XX:SharedArchiveFile=".length()));
        Files.delete(archive);
    }

    @Test
    void aChildThatDiedBeforeWritingFreesTheLock(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("died-" + System.nanoTime() + ".jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true);
        ClassDataSharing.Launch writer = cds.options();
        cds.written(writer.writes()); // killed: nothing written
        ClassDataSharing.Launch next = cds.options();
        assertThat(next.writes()).as("the next child may try").isNotNull();
        cds.written(next.writes());
    }

    @Test
    void aLockLeftByANodeThatIsGoneIsTakenOverAndALiveNodesLockIsRespected(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("stale-" + System.nanoTime() + ".jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true);
        ClassDataSharing.Launch probe = cds.options(); // learn where the lock lives
        String tmp = probe.writes().toString();
        Path lock = Path.of(tmp.substring(0, tmp.lastIndexOf(".jsa.") + 4) + ".lock");
        assertThat(lock).exists();
        assertThat(cds.options().writes()).as("our own node holds it: respected").isNull();

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(lock, Long.toString(gone.pid())); // its node was killed before the child finished
        ClassDataSharing.Launch next = cds.options();
        assertThat(next.writes()).as("the stale lock is taken over").isNotNull();
        cds.abandoned(next.writes());
        assertThat(lock).doesNotExist();
    }

    @Test
    void whatAKilledWriterLeftIsNotPublishedAndTheNextChildMayWrite(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("killed-" + System.nanoTime() + ".jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true);
        ClassDataSharing.Launch writer = cds.options();
        Files.writeString(writer.writes(), "half an arch"); // killed mid-write

        cds.abandoned(writer.writes());

        assertThat(writer.writes()).doesNotExist();
        ClassDataSharing.Launch next = cds.options();
        assertThat(next.writes()).as("no archive published; the next child may try").isNotNull();
        cds.written(next.writes());
    }

    @Test
    void anArchiveSomeoneElseCouldHaveWrittenIsNotUsed(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("planted-" + System.nanoTime() + ".jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true);
        ClassDataSharing.Launch writer = cds.options();
        Files.writeString(writer.writes(), "archive");
        cds.written(writer.writes());
        Path archive = Path.of(cds.options().jvmOptions().stream().filter(o -> o.startsWith("-XX:SharedArchiveFile="))
                .findFirst().orElseThrow().substring("-XX:SharedArchiveFile=".length()));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)))
                .as("a published archive is private").isEqualTo("rw-------");
        try {
            Files.setPosixFilePermissions(archive, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            assertThat(cds.options().jvmOptions()).as("an archive others could have replaced is not passed to children")
                    .noneMatch(o -> o.startsWith("-XX:SharedArchiveFile"));
        } finally {
            Files.delete(archive);
        }
    }
}
