package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pure: no JVM starts; each test names the JDK feature version whose options it checks. */
class ClassDataSharingTest {
    private static final int JDK17 = 17;
    @Test
    void classPathsWithDirectoriesGetNoArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar + java.io.File.pathSeparator + dir, true, JDK17);
        assertThat(cds.options().jvmOptions()).isEmpty();
        assertThat(ClassDataSharing.forClassPath(jar.toString(), false, JDK17).options().jvmOptions()).isEmpty();
    }

    @Test
    void oneChildWritesTheArchiveThenEveryChildUsesIt(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("unique-" + System.nanoTime() + ".jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, JDK17);

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
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, JDK17);
        ClassDataSharing.Launch writer = cds.options();
        cds.written(writer.writes()); // killed: nothing written
        ClassDataSharing.Launch next = cds.options();
        assertThat(next.writes()).as("the next child may try").isNotNull();
        cds.written(next.writes());
    }

    @Test
    void aLockLeftByANodeThatIsGoneIsTakenOverAndALiveNodesLockIsRespected(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("stale-" + System.nanoTime() + ".jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, JDK17);
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
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, JDK17);
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
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, JDK17);
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

    @Test
    void onJdk17TheChildrenWriteAndMapADynamicArchiveWithTheSameOptionsAsBefore() {
        ClassDataSharing.Kind kind = ClassDataSharing.Kind.forFeature(17);
        assertThat(kind).isEqualTo(ClassDataSharing.Kind.DYNAMIC_ARCHIVE);
        assertThat(kind.write(Path.of("/d/a.jsa.1-2.tmp"), 17))
                .containsExactly("-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:ArchiveClassesAtExit=/d/a.jsa.1-2.tmp");
        assertThat(kind.use(Path.of("/d/a.jsa"))).containsExactly("-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-XX:SharedArchiveFile=/d/a.jsa", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
    }

    @Test
    void jdk24KeepsTheDynamicArchiveAndJdk25AndLaterUseTheAotCache() {
        assertThat(ClassDataSharing.Kind.forFeature(24)).isEqualTo(ClassDataSharing.Kind.DYNAMIC_ARCHIVE);
        assertThat(ClassDataSharing.Kind.forFeature(25)).isEqualTo(ClassDataSharing.Kind.AOT_CACHE);
        assertThat(ClassDataSharing.Kind.forFeature(26)).isEqualTo(ClassDataSharing.Kind.AOT_CACHE);
    }

    @Test
    void onJdk25TheChildrenWriteTheAotCacheInOneStepAndMapIt() {
        ClassDataSharing.Kind kind = ClassDataSharing.Kind.forFeature(25);
        assertThat(kind.write(Path.of("/d/a.aot.1-2.tmp"), 25)).containsExactly("-Xlog:cds=off", "-Xlog:aot=off",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining", "-XX:AOTCacheOutput=/d/a.aot.1-2.tmp");
        assertThat(kind.write(Path.of("/d/a.aot.1-2.tmp"), 26)).as("no diagnostic option a later JDK may not know")
                .containsExactly("-Xlog:cds=off", "-Xlog:aot=off", "-XX:AOTCacheOutput=/d/a.aot.1-2.tmp");
        assertThat(kind.use(Path.of("/d/a.aot"))).containsExactly("-Xlog:cds=off", "-Xlog:aot=off",
                "-XX:AOTCache=/d/a.aot", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
    }

    @Test
    void onJdk25OneChildWritesTheCacheThenEveryChildMapsIt(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("aot-" + System.nanoTime() + ".jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, 25);
        assertThat(cds.archive().getFileName().toString()).endsWith(".aot");
        assertThat(ClassDataSharing.forClassPath(jar.toString(), true, JDK17).archive())
                .as("a JDK 17 node's archive is another file").isNotEqualTo(cds.archive());

        ClassDataSharing.Launch writer = cds.options();
        assertThat(writer.jvmOptions()).contains("-XX:AOTCacheOutput=" + writer.writes());
        assertThat(cds.options().jvmOptions()).as("a second child while the first writes").isEmpty();
        Files.writeString(writer.writes(), "cache"); // what the assembling JVM does as the writer exits
        cds.written(writer.writes());

        try {
            ClassDataSharing.Launch user = cds.options();
            assertThat(user.writes()).isNull();
            assertThat(user.jvmOptions()).contains("-XX:AOTCache=" + cds.archive());
        } finally {
            Files.delete(cds.archive());
        }
    }

    @Test
    void aFailedAssemblysRecordingAndWhatEarlierWritersLeftAreRemoved(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("left-" + System.nanoTime() + ".jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, 25);
        ClassDataSharing.Launch writer = cds.options();
        Path config = Path.of(writer.writes() + ".config");
        Files.writeString(config, "recording"); // the assembly failed: the JVM leaves its recording
        cds.written(writer.writes());
        assertThat(config).as("no cache, and no recording left").doesNotExist();
        assertThat(cds.archive()).doesNotExist();

        // an assembler that outlived its killed writer wrote its file after the writer was abandoned
        Path orphan = Path.of(cds.archive() + ".1-2.tmp");
        Path orphanConfig = Path.of(orphan + ".config");
        Path other = Path.of(cds.archive().getParent().resolve("other-" + System.nanoTime() + ".aot.1-2.tmp").toString());
        Files.writeString(orphan, "cache");
        Files.writeString(orphanConfig, "recording");
        Files.writeString(other, "another archive's");
        try {
            ClassDataSharing.Launch next = cds.options();
            assertThat(orphan).as("removed by the next writer").doesNotExist();
            assertThat(orphanConfig).doesNotExist();
            assertThat(other).as("another archive's writer may be at work").exists();
            cds.abandoned(next.writes());
        } finally {
            Files.deleteIfExists(other);
        }
    }

    @Test
    void aChildThatMayNotWriteNeitherWritesNorTakesTheWritersTurnButMapsAPublishedArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("spare-" + System.nanoTime() + ".jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, 25);
        assertThat(cds.options(false).jvmOptions()).as("a spare, before the archive exists").isEmpty();
        ClassDataSharing.Launch writer = cds.options();
        assertThat(writer.writes()).as("the spare left the writer's turn to a process").isNotNull();
        Files.writeString(writer.writes(), "cache");
        cds.written(writer.writes());
        try {
            assertThat(cds.options(false).jvmOptions()).contains("-XX:AOTCache=" + cds.archive());
        } finally {
            Files.delete(cds.archive());
        }
    }
}
