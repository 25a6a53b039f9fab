package io.procactor.internal.node;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application class-data sharing for child JVMs: the first child of a class path writes a CDS
 * archive of the classes it loaded when it exits; later children map it instead of loading and
 * verifying those classes again, which halves a child's start-up CPU (measured here: about
 * 1.05 s to 0.5 s). Only for class paths made of jar files (the JVM refuses directories in
 * archived class paths); the archive's name hashes the JDK and every jar's path, size and time,
 * so a rebuilt jar gets a new archive. One writer at a time, across nodes: the writer holds an
 * exclusive lock file. The directory and every archive must pass {@link PrivateFiles}: an archive
 * is code the children run. Thread-safe.
 */
final class ClassDataSharing {
    private static final Logger log = LoggerFactory.getLogger(ClassDataSharing.class);

    private static final String FIX = "Remove it (or have its owner remove it), or turn class-data sharing off with "
            + "procactor.process.class-data-sharing = off";

    /**
     * Map the archives where they were dumped instead of relocating them (the default since JDK
     * 17.0.x: ArchiveRelocationMode=1, for ASLR of class metadata): a relocated archive is written
     * to, so every child holds a private copy of about 21 MiB; mapped in place, its pages stay shared
     * clean between children (measured: child PSS 41 to 34 MiB). Diagnostic in JDK 17 to 25.
     */
    static final List<String> MAP_SHARED = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

    private final Path archive;   // null when sharing does not apply
    private final Path lock;

    private ClassDataSharing(Path archive) {
        this.archive = archive;
        this.lock = archive == null ? null : Path.of(archive + ".lock");
    }

    static ClassDataSharing forClassPath(String classPath, boolean enabled) {
        if (!enabled) {
            return new ClassDataSharing(null);
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((System.getProperty("java.home") + "|" + System.getProperty("java.vm.version")).getBytes(StandardCharsets.UTF_8));
            for (String entry : classPath.split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (!entry.endsWith(".jar") || !Files.isRegularFile(p)) {
                    return new ClassDataSharing(null); // a directory or a missing entry: the JVM would refuse the archive
                }
                md.update((p.toAbsolutePath() + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis())
                        .getBytes(StandardCharsets.UTF_8));
            }
            Path user = PrivateFiles.directory(Path.of(System.getProperty("java.io.tmpdir"), "procactor-"
                    + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_")), FIX);
            Path dir = PrivateFiles.directory(user.resolve("cds"), FIX);
            return new ClassDataSharing(dir.resolve(HexFormat.of().formatHex(md.digest(), 0, 12) + ".jsa"));
        } catch (PrivateFiles.InsecureFileException e) {
            log.warn("No class-data sharing for child JVMs: {}", e.getMessage());
            return new ClassDataSharing(null);
        } catch (IOException | NoSuchAlgorithmException | UnsupportedOperationException e) {
            log.debug("No class-data sharing for children: {}", e.toString());
            return new ClassDataSharing(null);
        }
    }

    /** A child's JVM options: use the archive, or write it (one child at a time), or nothing. */
    Launch options() {
        if (archive == null) {
            return new Launch(List.of(), null);
        }
        List<String> opts = new ArrayList<>();
        opts.add("-Xlog:cds=off");
        opts.add("-Xlog:cds+dynamic=off");
        if (Files.exists(archive, LinkOption.NOFOLLOW_LINKS)) {
            try {
                PrivateFiles.file(archive, FIX);
            } catch (IOException e) {
                log.warn("Not using the class-data sharing archive: {}", e.getMessage());
                return new Launch(List.of(), null);
            }
            opts.add("-XX:SharedArchiveFile=" + archive);
            opts.addAll(MAP_SHARED);
            return new Launch(opts, null);
        }
        if (!takeWriterLock()) {
            return new Launch(List.of(), null);
        }
        Path temp = Path.of(archive + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
        opts.add("-XX:ArchiveClassesAtExit=" + temp);
        return new Launch(opts, temp);
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
                if (!staleLock()) {
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

    private boolean staleLock() {
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
                Files.deleteIfExists(lock);
            } catch (IOException e) {
                log.debug("Could not remove {}: {}", lock, e.toString());
            }
        }
    }

    /** JVM options for one child, and the temporary archive it writes (null if none). */
    record Launch(List<String> jvmOptions, Path writes) {
    }
}
