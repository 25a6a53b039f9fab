package io.procactor.internal.node;

import io.procactor.transport.NativeLibrary;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's copy of the transport's native library for its children (see {@link StartupShortcuts}):
 * the library exactly as the children's class path holds it (its first copy there, which is what a
 * child's Netty would extract), in {@code <cache>/native/<hash of its bytes>/}. It is code the
 * children run, so every level is checked as every file the node trusts ({@link PrivateFiles}),
 * and checked again at every launch: a directory that a temp cleaner removed and someone else
 * made again is refused then, and a missing copy is written again. Copies of other libraries
 * (another Netty's) that no node started with for as long as an unused class-data-sharing archive
 * is kept are removed.
 *
 * <p>Thread-safe: {@link #directory()} runs under this object's lock.
 */
final class NativeLibraryCopies {
    private static final Logger log = LoggerFactory.getLogger(NativeLibraryCopies.class);
    private static final String FIX = "Remove it (or have its owner remove it) to get the shortcut back; children extract "
            + "their own copy meanwhile, as Netty does";

    /** The library to copy, as found once. */
    private record Library(String fileName, byte[] bytes, String hash) {
    }

    private final Path cacheRoot;
    private final String classPath;
    private final Supplier<Optional<NativeLibrary>> findLibrary;
    private Optional<Library> library; // null until the first launch asks
    private boolean pruned;
    private boolean warned;

    /**
     * @param cacheRoot   this user's directory ({@link PrivateFiles#userTempDirectory()})
     * @param classPath   the children's class path, where the library is looked up
     * @param findLibrary which library the transport loads, asked at the first launch
     */
    NativeLibraryCopies(Path cacheRoot, String classPath, Supplier<Optional<NativeLibrary>> findLibrary) {
        this.cacheRoot = cacheRoot;
        this.classPath = classPath;
        this.findLibrary = findLibrary;
    }

    /** The directory that holds a checked copy, written now if missing; empty when there is none to give. */
    synchronized Optional<Path> directory() {
        if (library == null) {
            library = find();
        }
        if (library.isEmpty()) {
            return Optional.empty();
        }
        Library lib = library.get();
        try {
            Path dir = null;
            for (Path level : List.of(cacheRoot, cacheRoot.resolve("native"), cacheRoot.resolve("native").resolve(lib.hash()))) {
                dir = PrivateFiles.directory(level, FIX); // each level: one someone else made is refused
            }
            Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis())); // used: see prune
            place(dir.resolve(lib.fileName()), lib.bytes());
            if (!pruned) {
                pruned = true;
                prune(dir);
            }
            return Optional.of(dir);
        } catch (PrivateFiles.InsecureFileException e) {
            if (!warned) {
                warned = true;
                log.warn("Children extract Netty's native library themselves: {}", e.getMessage());
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.debug("Children extract Netty's native library themselves: {}", e.toString());
            return Optional.empty();
        }
    }

    private Optional<Library> find() {
        try {
            Optional<NativeLibrary> lib = findLibrary.get();
            if (lib.isEmpty()) {
                return Optional.empty();
            }
            List<URL> urls = new ArrayList<>();
            for (String entry : classPath.split(File.pathSeparator)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
            byte[] bytes;
            try (URLClassLoader children = new URLClassLoader(urls.toArray(URL[]::new), null)) {
                URL url = children.findResource(lib.get().resourceName());
                if (url == null) {
                    return Optional.empty(); // not from a jar of theirs: Netty finds it elsewhere, or not at all
                }
                try (InputStream in = url.openStream()) {
                    bytes = in.readAllBytes();
                }
            }
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, ClassDataSharing.HASH_BYTES);
            return Optional.of(new Library(lib.get().fileName(), bytes, hash));
        } catch (Exception | LinkageError e) { // Netty's epoll classes left out of the class path, say: no shortcut, still a start
            log.debug("No copy of the transport's native library for children: {}", e.toString());
            return Optional.empty();
        }
    }

    /** Writes {@code bytes} to {@code file} unless it holds them already; a child never sees a half-written file. */
    private static void place(Path file, byte[] bytes) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            PrivateFiles.file(file, FIX);
            if (Arrays.equals(Files.readAllBytes(file), bytes)) {
                return;
            }
        }
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(temp, bytes);
            try { // the same bytes whoever wins a race between nodes
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Removes, best effort, the copies in other directories next to {@code mine} unused for
     * {@link ClassDataSharing#UNUSED_ARCHIVE_AGE} (a node still running with one has its next
     * children extract their own), and temporary files in {@code mine} older than
     * {@link ClassDataSharing#LEFTOVER_AGE} (a node killed while writing).
     */
    static void prune(Path mine) {
        long now = System.currentTimeMillis();
        try {
            String me = PrivateFiles.currentUser().getName();
            removeOurs(mine, ".tmp", me, now - ClassDataSharing.LEFTOVER_AGE.toMillis());
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(mine.getParent())) {
                for (Path d : dirs) {
                    if (!d.equals(mine) && d.getFileName().toString().matches("[0-9a-f]{" + 2 * ClassDataSharing.HASH_BYTES + "}")
                            && olderThan(d, true, me, now - ClassDataSharing.UNUSED_ARCHIVE_AGE.toMillis())) {
                        removeOurs(d, "", me, Long.MAX_VALUE);
                        Files.delete(d); // fails, as it should, if something else is in it
                        log.debug("Removed {}: a copy of a native library no node started with for {} days", d,
                                ClassDataSharing.UNUSED_ARCHIVE_AGE.toDays());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Could not prune the copies of native libraries next to {}: {}", mine, e.toString());
        }
    }

    // only what place() writes (a library .so, a .tmp), regular files of this user, never through a link
    private static void removeOurs(Path dir, String suffix, String me, long before) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                boolean ours = suffix.isEmpty() ? n.endsWith(".so") || n.endsWith(".tmp") : n.endsWith(suffix);
                if (ours && olderThan(f, false, me, before)) {
                    Files.delete(f);
                }
            }
        }
    }

    private static boolean olderThan(Path p, boolean directory, String me, long before) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return (directory ? a.isDirectory() : a.isRegularFile()) && a.owner().getName().equals(me)
                && a.lastModifiedTime().toMillis() < before;
    }
}
