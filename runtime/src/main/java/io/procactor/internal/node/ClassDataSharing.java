package io.procactor.internal.node;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application class-data sharing for child JVMs: the first child of a class path writes an
 * archive of the classes it loaded when it exits; later children map it instead of loading and
 * verifying those classes again, which halves a child's start-up CPU (measured here: about
 * 1.05 s to 0.5 s). On JDK 25 and later the archive is the JDK's AOT cache (JEPs 483 and 514:
 * classes loaded and linked ahead of time), written in one step with {@code -XX:AOTCacheOutput};
 * before, a dynamic CDS archive ({@code -XX:ArchiveClassesAtExit}). See {@link Kind}. Only for
 * class paths made of jar files (the JVM refuses directories in archived class paths); the
 * archive's name hashes the JDK and every jar's path, size and time, so a rebuilt jar gets a new
 * archive. One writer at a time, across nodes: the writer holds an
 * exclusive lock file. The directory and every archive must pass {@link PrivateFiles}: an archive
 * is code the children run. Every rebuild leaves an archive behind, so a node's start prunes the
 * directory (see {@link #prune}). Thread-safe.
 */
final class ClassDataSharing {
    private static final Logger log = LoggerFactory.getLogger(ClassDataSharing.class);

    private static final String FIX = "Remove it (or have its owner remove it), or turn class-data sharing off with "
            + "procactor.process.class-data-sharing = off";

    /**
     * An archive no node has started with for this long is removed (a node marks its own as used
     * as it starts): a week outlasts a weekend, and removing one too early costs only one slower
     * child start, the one that writes it again.
     */
    static final Duration UNUSED_ARCHIVE_AGE = Duration.ofDays(7);
    /**
     * A writer's temporary or lock file older than this is a leftover (its node or writer was
     * killed): a writer finishes within {@link ChildHandle#ARCHIVE_WRITE_MILLIS} of its child's end.
     */
    static final Duration LEFTOVER_AGE = Duration.ofDays(1);

    /** The bytes of the class path's hash an archive is named by (hex: twice as many digits). */
    static final int HASH_BYTES = 12;
    /** What this class writes in the directory; pruning leaves any other name alone. */
    private static final String ARCHIVE_NAME = "[0-9a-f]{" + 2 * HASH_BYTES + "}\\.(?:jsa|aot)";
    private static final Pattern ARCHIVE = Pattern.compile(ARCHIVE_NAME);
    // <archive>.<pid>-<nanoTime>.tmp, nanoTime maybe negative; .config: an AOT cache's recording
    private static final Pattern TEMPORARY = Pattern.compile(ARCHIVE_NAME + "\\.\\d+--?\\d+\\.tmp(?:\\.config)?");
    private static final Pattern LOCK = Pattern.compile("(" + ARCHIVE_NAME + ")\\.lock");

    /**
     * Map the archives where they were dumped instead of relocating them (the default since JDK
     * 17.0.x: ArchiveRelocationMode=1, for ASLR of class metadata): a relocated archive is written
     * to, so every child holds a private copy of about 21 MiB; mapped in place, its pages stay shared
     * clean between children (measured: child PSS 41 to 34 MiB). Diagnostic in JDK 17 to 25.
     */
    static final List<String> MAP_SHARED = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

    /**
     * Which archive the children of this JDK write and map. JDK 24 has the AOT cache too, but only
     * in two steps ({@code -XX:AOTMode=record}, then a second JVM with {@code -XX:AOTMode=create}),
     * which the node would have to run and supervise itself after the writer exits: JDK 24 (out of
     * support) keeps the dynamic archive. From 25 the writer's JVM runs that second step itself
     * as it exits ({@code -XX:AOTCacheOutput}, JEP 514): its exit took 2.4-3 s at a load of 7 on
     * 2 cores, well within {@link ChildHandle#ARCHIVE_WRITE_MILLIS}. A cold child maps it with
     * 15-30 % less CPU than a dynamic archive (see docs/benchmarks.md).
     */
    enum Kind {
        /** JDK 17 to 24: a dynamic CDS archive on top of the JDK's base archive. */
        DYNAMIC_ARCHIVE(".jsa"),
        /** JDK 25 and later: an AOT cache. */
        AOT_CACHE(".aot");

        final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }

        static Kind forFeature(int feature) {
            return feature >= 25 ? AOT_CACHE : DYNAMIC_ARCHIVE;
        }

        /** The options of a child that maps {@code archive}. */
        List<String> use(Path archive) {
            List<String> opts = new ArrayList<>(quiet());
            opts.add((this == AOT_CACHE ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
            // an AOT cache is a static CDS archive: mapped in place, its pages stay shared too (measured, see docs/benchmarks.md)
            opts.addAll(MAP_SHARED);
            return opts;
        }

        /**
         * The options of the child that writes {@code temp} when it exits, on JDK {@code feature}.
         * On JDK 25 it records no method profiles (JEP 515): replayed, they had every child compile
         * its start-up methods at once, 40 ms more CPU and no earlier first reply (measured, see
         * docs/benchmarks.md), and they would be one process's profiles applied to every other
         * process's actors. The flag is diagnostic; a later JDK gets the JDK's default rather than
         * an option it may not know, which would fail the child's start.
         */
        List<String> write(Path temp, int feature) {
            List<String> opts = new ArrayList<>(quiet());
            if (this == AOT_CACHE && feature == 25) {
                opts.add("-XX:+UnlockDiagnosticVMOptions");
                opts.add("-XX:-AOTRecordTraining");
            }
            // AOTCacheOutput: the JVM records at exit to temp + ".config", then a JVM it starts writes temp from it
            opts.add((this == AOT_CACHE ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + temp);
            return opts;
        }

        // a cache that does not fit (another GC, say) is not used, with warnings on stderr the node would log for every child
        private List<String> quiet() {
            return this == AOT_CACHE ? List.of("-Xlog:cds=off", "-Xlog:aot=off")
                    : List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }
    }

    private final int jdkFeature;
    private final Kind kind;
    private final Path archive;   // null when sharing does not apply
    private final Path lock;

    private ClassDataSharing(int jdkFeature, Path archive) {
        this.jdkFeature = jdkFeature;
        this.kind = Kind.forFeature(jdkFeature);
        this.archive = archive;
        this.lock = archive == null ? null : Path.of(archive + ".lock");
    }

    static ClassDataSharing forClassPath(String classPath, boolean enabled) {
        return forClassPath(classPath, enabled, Runtime.version().feature()); // children run this JVM's java
    }

    static ClassDataSharing forClassPath(String classPath, boolean enabled, int jdkFeature) {
        return forClassPath(classPath, enabled, jdkFeature, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** With the archive directory under {@code tmpDir} instead of {@code java.io.tmpdir}; for tests. */
    static ClassDataSharing forClassPath(String classPath, boolean enabled, int jdkFeature, Path tmpDir) {
        Kind kind = Kind.forFeature(jdkFeature);
        if (!enabled) {
            return new ClassDataSharing(jdkFeature, null);
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((System.getProperty("java.home") + "|" + System.getProperty("java.vm.version")).getBytes(StandardCharsets.UTF_8));
            for (String entry : classPath.split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (!entry.endsWith(".jar") || !Files.isRegularFile(p)) {
                    return new ClassDataSharing(jdkFeature, null); // a directory or a missing entry: the JVM would refuse the archive
                }
                md.update((p.toAbsolutePath() + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis())
                        .getBytes(StandardCharsets.UTF_8));
            }
            Path user = PrivateFiles.directory(PrivateFiles.userTempDirectory(tmpDir), FIX);
            Path dir = PrivateFiles.directory(user.resolve("cds"), FIX);
            ClassDataSharing cds = new ClassDataSharing(jdkFeature,
                    dir.resolve(HexFormat.of().formatHex(md.digest(), 0, HASH_BYTES) + kind.suffix));
            cds.prune();
            return cds;
        } catch (PrivateFiles.InsecureFileException e) {
            log.warn("No class-data sharing for child JVMs: {}", e.getMessage());
            return new ClassDataSharing(jdkFeature, null);
        } catch (IOException | NoSuchAlgorithmException | UnsupportedOperationException e) {
            log.debug("No class-data sharing for children: {}", e.toString());
            return new ClassDataSharing(jdkFeature, null);
        }
    }

    /** A child's JVM options: use the archive, or write it (one child at a time), or nothing. */
    Launch options() {
        return options(true);
    }

    /**
     * A child's JVM options; one that may not write (a spare: only {@link ChildHandle} publishes
     * what a process's JVM wrote) does not take the writer's lock either, or a process launched
     * at the same time could find it taken and start without the archive.
     */
    Launch options(boolean mayWrite) {
        if (archive == null) {
            return new Launch(List.of(), null);
        }
        if (Files.exists(archive, LinkOption.NOFOLLOW_LINKS)) {
            try {
                PrivateFiles.file(archive, FIX);
            } catch (IOException e) {
                log.warn("Not using the class-data sharing archive: {}", e.getMessage());
                return new Launch(List.of(), null);
            }
            return new Launch(kind.use(archive), null);
        }
        if (!mayWrite || !takeWriterLock()) {
            return new Launch(List.of(), null);
        }
        removeLeftovers();
        Path temp = Path.of(archive + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
        return new Launch(kind.write(temp, jdkFeature), temp);
    }

    /** The archive children of this class path map, or null if sharing does not apply; for tests. */
    Path archive() {
        return archive;
    }

    /**
     * Marks this class path's archive as used and removes from its directory, best effort, what no
     * node needs any more: archives unused for {@link #UNUSED_ARCHIVE_AGE}, and temporary files, and
     * lock files of absent archives whose node is gone (see {@link #staleLock}), older than
     * {@link #LEFTOVER_AGE}. Only regular files of this user named as this class names them, never
     * through a link. An archive that children of a running node have mapped stays mapped (the
     * inode lives on), and that node's next child writes it again ({@link #options} checks for it
     * every time). Locks last, so that one whose archive was just removed goes in the same pass. A
     * lock read as stale could be taken over by another node just before its removal, as in
     * {@link #takeWriterLock}: at worst two children write the same archive.
     */
    private void prune() {
        long now = System.currentTimeMillis();
        markUsed(now);
        Path dir = archive.getParent();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(files::add);
            files.sort(Comparator.comparing(f -> f.getFileName().toString().endsWith(".lock")));
            String me = PrivateFiles.currentUser().getName();
            for (Path f : files) {
                try {
                    String why = whyRemove(f, me, now);
                    if (why != null) {
                        Files.delete(f);
                        log.debug("Removed {}: {}", f, why);
                    }
                } catch (IOException | RuntimeException e) {
                    log.debug("Could not prune {}: {}", f, e.toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Could not prune {}: {}", dir, e.toString());
        }
    }

    /** Sets the archive's last-modified time to now, if it exists: what keeps an archive in use from being pruned. */
    private void markUsed(long now) {
        try {
            if (Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)) {
                Files.getFileAttributeView(archive, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(FileTime.fromMillis(now), null, null);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Could not mark {} as used: {}", archive, e.toString());
        }
    }

    /** Why {@code f} goes, or null if it stays. */
    private String whyRemove(Path f, String me, long now) throws IOException {
        String name = f.getFileName().toString();
        Matcher lockName = LOCK.matcher(name);
        boolean isArchive = ARCHIVE.matcher(name).matches();
        boolean isTemporary = TEMPORARY.matcher(name).matches();
        if (f.equals(archive) || !(isArchive || isTemporary || lockName.matches())) {
            return null; // ours stays even if it could not be marked used
        }
        PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile() || !a.owner().getName().equals(me)) {
            return null;
        }
        long age = now - a.lastModifiedTime().toMillis();
        if (isArchive) {
            return age > UNUSED_ARCHIVE_AGE.toMillis() ? "an archive no node has started with for " + days(age) : null;
        }
        if (age <= LEFTOVER_AGE.toMillis()) {
            return null;
        }
        if (isTemporary) {
            return "a writer's temporary file, left " + days(age) + " ago";
        }
        boolean archiveAbsent = !Files.exists(f.resolveSibling(lockName.group(1)), LinkOption.NOFOLLOW_LINKS);
        return archiveAbsent && staleLock(f) ? "the lock of a writer whose node is gone, left " + days(age) + " ago" : null;
    }

    private static String days(long millis) {
        return String.format(Locale.ROOT, "%.1f days", millis / 86_400_000.0);
    }

    /**
     * Removes what earlier writers of this archive left: the temporary file of a writer whose node
     * was killed, or one that the JVM assembling an AOT cache wrote after its writer was killed (it
     * outlives it), and a failed assembly's configuration file. Only the lock holder writes them.
     */
    private void removeLeftovers() {
        String prefix = archive.getFileName() + ".";
        try (var files = Files.list(archive.getParent())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.startsWith(prefix) && (n.endsWith(".tmp") || n.endsWith(".tmp.config"))) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            log.debug("Could not remove what earlier writers of {} left: {}", archive, e.toString());
        }
    }

    /**
     * Takes the lock that lets one child (of any node) write the archive. The lock holds the pid of
     * the node that took it: a lock whose node is gone (killed before its child finished) is stale
     * and is taken over, or no child of this class path would ever write the archive again.
     */
    private boolean takeWriterLock() {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.writeString(lock, Long.toString(ProcessHandle.current().pid()), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                return true;
            } catch (IOException busy) {
                if (!staleLock(lock)) {
                    return false;
                }
                try {
                    Files.deleteIfExists(lock);
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Whether {@code lock}'s node is gone: the pid it holds is dead (or, written without one, it is an hour old). */
    private static boolean staleLock(Path lock) {
        try {
            String text = Files.readString(lock).trim();
            if (text.isEmpty()) {
                // written by an older version, which left no pid: stale once it is an hour old
                return Files.getLastModifiedTime(lock, LinkOption.NOFOLLOW_LINKS).toMillis() < System.currentTimeMillis() - 3_600_000L;
            }
            return ProcessHandle.of(Long.parseLong(text)).map(p -> !p.isAlive()).orElse(true);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** After the child that was writing {@code temp} exited: publish the archive if it was written. */
    void written(Path temp) {
        finished(temp, true);
    }

    /**
     * After the child that was writing {@code temp} was killed by a signal: the JVM may have been
     * cut off while writing it, and a truncated archive would be published for good (children
     * would then start silently without it, and no child would write a sound one). Drop it; the
     * next child may try again.
     */
    void abandoned(Path temp) {
        finished(temp, false);
    }

    private void finished(Path temp, boolean publish) {
        try {
            if (publish && Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS) && Files.size(temp) > 0) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                Files.move(temp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.debug("Class-data sharing archive for children written: {}", archive);
            } else {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            log.debug("Could not publish the class-data sharing archive: {}", e.toString());
        } finally {
            try {
                Files.deleteIfExists(Path.of(temp + ".config")); // an AOT cache's recording, left when its assembly failed
            } catch (IOException e) {
                log.debug("Could not remove {}.config: {}", temp, e.toString());
            }
            try {
                Files.deleteIfExists(lock);
            } catch (IOException e) {
                log.debug("Could not remove {}: {}", lock, e.toString());
            }
        }
    }

    /**
     * Kills a child JVM and, when it writes an archive ({@code writes} not null), the JVMs it
     * started: one assembling an AOT cache would outlive it, write the file after all and hold
     * the child's stdout and stderr open until it is done.
     */
    static void kill(Process child, Path writes) {
        // the child first: its assembler killed before it, it would exit cleanly and a partial cache be published
        List<ProcessHandle> started = writes != null ? child.descendants().toList() : List.of();
        child.destroyForcibly();
        started.forEach(ProcessHandle::destroyForcibly);
    }

    /** JVM options for one child, and the temporary archive it writes (null if none). */
    record Launch(List<String> jvmOptions, Path writes) {
    }
}
