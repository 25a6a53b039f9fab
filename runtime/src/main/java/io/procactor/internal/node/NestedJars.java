package io.procactor.internal.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Copies what a child JVM cannot read in place - a jar nested in a jar (Spring Boot's
 * {@code BOOT-INF/lib/x.jar}) or a directory inside one ({@code BOOT-INF/classes}) - out to a
 * private cache directory, once: the copy's name hashes the outer jar's path, size and time and the
 * entry, so a rebuilt jar gets new copies and every node of this user shares the old ones. A copy
 * is written under a temporary name and moved into place, so a reader never sees half of it. The
 * cache directory passes {@link PrivateFiles} (0700, this user's): its jars are code the children run.
 *
 * <p>Thread-safe: nodes and threads that copy the same entry at once each write their own
 * temporary copy; the first move wins, the others are dropped.
 */
final class NestedJars {
    static final String FIX = "Remove it (or have its owner remove it), or set the children's class path yourself with "
            + "procactor.child.class-path";

    private final Path cache;

    NestedJars(Path cache) {
        this.cache = cache;
    }

    /** {@code <java.io.tmpdir>/procactor-<user>/class-path}, next to the class-data-sharing archives. */
    static Path defaultCache() {
        return PrivateFiles.userTempDirectory().resolve("class-path");
    }

    /**
     * A copy of {@code entry} of the jar {@code outer} that a JVM can put on its class path: the
     * nested jar as a file of its own, or a directory entry's files under a directory.
     *
     * @throws IOException when the jar cannot be read, has no such entry, or the cache is not private
     */
    Path extract(Path outer, String entry) throws IOException {
        String name = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
        // the parent first: a parent made with the default mode would fail the check
        Path dir = PrivateFiles.directory(PrivateFiles.directory(cache.getParent(), FIX).resolve(cache.getFileName()), FIX);
        String base = name.substring(name.lastIndexOf('/') + 1);
        Path target = dir.resolve(key(outer, name) + "-" + (base.isEmpty() ? "root" : base));
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return target;
        }
        Path temp = dir.resolve(target.getFileName() + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
        try (ZipFile zip = new ZipFile(outer.toFile())) {
            ZipEntry file = zip.getEntry(name);
            if (file != null && !file.isDirectory()) {
                try (InputStream in = zip.getInputStream(file)) {
                    Files.copy(in, temp);
                }
            } else if (!copyDirectory(zip, name + "/", temp)) {
                throw new IOException("[" + outer + "] has no entry [" + entry + "]");
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException raced) {
                // another node (or thread) put its copy there first: use that one
            }
        } finally {
            deleteTree(temp);
        }
        return target;
    }

    /** Copies every file under {@code prefix} into {@code to}; false when there is none. */
    private static boolean copyDirectory(ZipFile zip, String prefix, Path to) throws IOException {
        boolean any = false;
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry e = all.nextElement();
            if (!e.getName().startsWith(prefix) || e.isDirectory()) {
                continue;
            }
            Path file = to.resolve(e.getName().substring(prefix.length())).normalize();
            if (!file.startsWith(to)) {
                throw new IOException("entry [" + e.getName() + "] would be copied outside [" + to + "]; refusing the jar");
            }
            Files.createDirectories(file.getParent());
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, file);
            }
            any = true;
        }
        return any;
    }

    private static String key(Path outer, String entry) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            Path abs = outer.toAbsolutePath().normalize();
            md.update((abs + "|" + Files.size(abs) + "|" + Files.getLastModifiedTime(abs).toMillis() + "|" + entry)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }
}
