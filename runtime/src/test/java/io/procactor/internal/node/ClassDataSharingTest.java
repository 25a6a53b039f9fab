package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pure: no JVM starts; each test names the JDK feature version whose options it checks. The archive
 * directory lives under each test's temporary directory, never under java.io.tmpdir: a node's
 * start prunes it.
 */
class ClassDataSharingTest {
    private static final int JDK17 = 17;
    private static final String HASH_A = "0123456789abcdef01234567";
    private static final String HASH_B = "89abcdef0123456789abcdef";
    private static final Duration OLD_ARCHIVE = ClassDataSharing.UNUSED_ARCHIVE_AGE.plusHours(1);
    private static final Duration RECENT_ARCHIVE = ClassDataSharing.UNUSED_ARCHIVE_AGE.minusHours(1);
    private static final Duration OLD_LEFTOVER = ClassDataSharing.LEFTOVER_AGE.plusHours(1);
    private static final Duration RECENT_LEFTOVER = ClassDataSharing.LEFTOVER_AGE.minusHours(1);

    @Test
    void classPathsWithDirectoriesGetNoArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar + java.io.File.pathSeparator + dir, true, JDK17, dir);
        assertThat(cds.options().jvmOptions()).isEmpty();
        assertThat(ClassDataSharing.forClassPath(jar.toString(), false, JDK17, dir).options().jvmOptions()).isEmpty();
    }

    @Test
    void oneChildWritesTheArchiveThenEveryChildUsesIt(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("unique-" + System.nanoTime() + ".jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, JDK17, dir);

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
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, JDK17, dir);
        ClassDataSharing.Launch writer = cds.options();
        cds.written(writer.writes()); // killed: nothing written
        ClassDataSharing.Launch next = cds.options();
        assertThat(next.writes()).as("the next child may try").isNotNull();
        cds.written(next.writes());
    }

    @Test
    void aLockLeftByANodeThatIsGoneIsTakenOverAndALiveNodesLockIsRespected(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("stale-" + System.nanoTime() + ".jar"), "x");
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, JDK17, dir);
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
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, JDK17, dir);
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
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, JDK17, dir);
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
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, 25, dir);
        assertThat(cds.archive().getFileName().toString()).endsWith(".aot");
        assertThat(ClassDataSharing.forClassPath(jar.toString(), true, JDK17, dir).archive())
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
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, 25, dir);
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
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, 25, dir);
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

    @Test
    void aNodeStartRemovesArchivesNoNodeHasStartedWithForAWeekAndKeepsRecentOnes(@TempDir Path dir) throws Exception {
        Path cdsDir = cdsDir(dir);
        Path old = aged(cdsDir.resolve(HASH_A + ".jsa"), OLD_ARCHIVE);
        Path oldCache = aged(cdsDir.resolve(HASH_B + ".aot"), OLD_ARCHIVE);
        Path recent = aged(cdsDir.resolve(HASH_B + ".jsa"), RECENT_ARCHIVE);

        start(dir);

        assertThat(old).as("another class path's archive, unused for a week").doesNotExist();
        assertThat(oldCache).as("an AOT cache too, whatever this node's JDK").doesNotExist();
        assertThat(recent).as("used within the week").exists();
    }

    @Test
    void aNodeStartKeepsItsOwnArchiveAndMarksItUsed(@TempDir Path dir) throws Exception {
        Path own = start(dir).archive();
        aged(own, OLD_ARCHIVE.multipliedBy(4));
        long before = System.currentTimeMillis();

        assertThat(start(dir).archive()).isEqualTo(own);

        assertThat(own).exists();
        assertThat(Files.getLastModifiedTime(own).toMillis()).as("marked used: now, not a month ago")
                .isGreaterThanOrEqualTo(before - 1_000);
    }

    @Test
    void aNodeStartRemovesTemporaryFilesOfAnyArchiveLeftOverADayAgo(@TempDir Path dir) throws Exception {
        Path cdsDir = cdsDir(dir);
        Path old = aged(cdsDir.resolve(HASH_A + ".jsa.123-456.tmp"), OLD_LEFTOVER);
        Path oldConfig = aged(cdsDir.resolve(HASH_A + ".aot.123--456.tmp.config"), OLD_LEFTOVER);
        Path recent = aged(cdsDir.resolve(HASH_B + ".aot.123-456.tmp"), RECENT_LEFTOVER);
        Path recentConfig = aged(cdsDir.resolve(HASH_B + ".aot.123-456.tmp.config"), RECENT_LEFTOVER);

        start(dir);

        assertThat(old).doesNotExist();
        assertThat(oldConfig).as("a negative nanoTime in its name, and an AOT cache's recording").doesNotExist();
        assertThat(recent).as("its writer may be at work").exists();
        assertThat(recentConfig).exists();
    }

    @Test
    void aNodeStartRemovesOnlyOldLocksOfAbsentArchivesWhoseNodeIsGone(@TempDir Path dir) throws Exception {
        Path cdsDir = cdsDir(dir);
        long gone = deadPid();
        long live = ProcessHandle.current().pid();
        Path stale = aged(cdsDir.resolve(HASH_A + ".jsa.lock"), Long.toString(gone), OLD_LEFTOVER);
        Path held = aged(cdsDir.resolve(HASH_A + ".aot.lock"), Long.toString(live), OLD_LEFTOVER);
        Path recent = aged(cdsDir.resolve(HASH_B + ".aot.lock"), Long.toString(gone), RECENT_LEFTOVER);
        aged(cdsDir.resolve(HASH_B + ".jsa"), RECENT_ARCHIVE);
        Path withArchive = aged(cdsDir.resolve(HASH_B + ".jsa.lock"), Long.toString(gone), OLD_LEFTOVER);
        Path unreadable = aged(cdsDir.resolve("fedcba9876543210fedcba98.jsa.lock"), "not a pid", OLD_LEFTOVER);

        start(dir);

        assertThat(stale).as("old, its node gone, no archive").doesNotExist();
        assertThat(held).as("a live node's lock, however old").exists();
        assertThat(recent).as("less than a day old").exists();
        assertThat(withArchive).as("its archive is there").exists();
        assertThat(unreadable).as("no pid in it: not known to be stale").exists();
    }

    @Test
    void aLockWhoseArchiveThisStartRemovedGoesInTheSamePass(@TempDir Path dir) throws Exception {
        Path cdsDir = cdsDir(dir);
        Path archive = aged(cdsDir.resolve(HASH_A + ".jsa"), OLD_ARCHIVE);
        Path lock = aged(cdsDir.resolve(HASH_A + ".jsa.lock"), Long.toString(deadPid()), OLD_LEFTOVER);

        start(dir);

        assertThat(archive).doesNotExist();
        assertThat(lock).doesNotExist();
    }

    @Test
    void aNodeStartLeavesFilesItDidNotNameAlone(@TempDir Path dir) throws Exception {
        Path cdsDir = cdsDir(dir);
        Duration ancient = OLD_ARCHIVE.multipliedBy(10);
        Path[] others = {
            aged(cdsDir.resolve("notes.txt"), ancient),
            aged(cdsDir.resolve("0123.jsa"), ancient),
            aged(cdsDir.resolve(HASH_A.toUpperCase() + ".jsa"), ancient),
            aged(cdsDir.resolve(HASH_A + ".jsa.bak"), ancient),
            aged(cdsDir.resolve("other-" + HASH_A + ".aot.1-2.tmp"), ancient),
        };
        Path subdir = Files.createDirectory(cdsDir.resolve(HASH_B + ".jsa"));
        Files.setLastModifiedTime(subdir, FileTime.from(Instant.now().minus(ancient)));

        start(dir);

        assertThat(others).allSatisfy(p -> assertThat(p).exists());
        assertThat(subdir).as("not a regular file").isDirectory();
    }

    @Test
    void aNodeStartNeitherFollowsNorRemovesLinksNamedLikeItsFiles(@TempDir Path dir) throws Exception {
        Path cdsDir = cdsDir(dir);
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path target = aged(elsewhere.resolve("precious"), OLD_ARCHIVE.multipliedBy(4));
        Path archiveLink = Files.createSymbolicLink(cdsDir.resolve(HASH_A + ".jsa"), target);
        Path tempLink = Files.createSymbolicLink(cdsDir.resolve(HASH_A + ".jsa.1-2.tmp"), target);
        for (Path link : new Path[] {archiveLink, tempLink}) { // the links themselves old too
            Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(Instant.now().minus(OLD_ARCHIVE.multipliedBy(4))), null, null);
        }

        start(dir);

        assertThat(archiveLink).isSymbolicLink();
        assertThat(tempLink).isSymbolicLink();
        assertThat(target).exists().hasContent("x");
    }

    @Test
    void aNodeWhoseArchiveWasPrunedUnderItHasItsNextChildWriteItAgain(@TempDir Path dir) throws Exception {
        ClassDataSharing cds = start(dir);
        ClassDataSharing.Launch writer = cds.options();
        Files.writeString(writer.writes(), "archive");
        cds.written(writer.writes());
        assertThat(cds.options().jvmOptions()).contains("-XX:SharedArchiveFile=" + cds.archive());

        Files.delete(cds.archive()); // another node's start pruned it: its children keep what they mapped

        ClassDataSharing.Launch next = cds.options();
        assertThat(next.writes()).as("the next child writes it again").isNotNull();
        assertThat(next.jvmOptions()).noneMatch(o -> o.startsWith("-XX:SharedArchiveFile"));
        cds.abandoned(next.writes());
    }

    /** A node's start with a jar class path, its archive directory under {@code dir}. */
    private static ClassDataSharing start(Path dir) throws Exception {
        Path jar = dir.resolve("app.jar");
        if (!Files.exists(jar)) {
            Files.writeString(jar, "x");
        }
        ClassDataSharing cds = ClassDataSharing.forClassPath(jar.toString(), true, JDK17, dir);
        assertThat(cds.archive()).isNotNull();
        return cds;
    }

    /** The archive directory, set up (and, empty, pruned) by a first start. */
    private static Path cdsDir(Path dir) throws Exception {
        return start(dir).archive().getParent();
    }

    private static Path aged(Path file, Duration age) throws Exception {
        return aged(file, "x", age);
    }

    private static Path aged(Path file, String content, Duration age) throws Exception {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    private static long deadPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return gone.pid();
    }
}
