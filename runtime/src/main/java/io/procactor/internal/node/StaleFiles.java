package io.procactor.internal.node;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what nodes of this user left behind when they died without closing (SIGKILL, a crash):
 * their socket directories ({@code procactor-<pid>-<n>} under the socket directory) and their admin
 * sockets ({@code <pid>-<n>.sock} under the admin directory) and their shared memory
 * ({@code <pid>-<n>} under the segment root, see {@link SharedMemory}). Only entries whose owning node
 * process is gone are touched, only entries of this user, and links are never followed. A pid
 * that was reused by an unrelated process keeps its entry: a leftover is harmless, removing a live
 * node's socket is not. Runs when a node starts and from {@code procactor clean}.
 *
 * <p>Stateless; thread-safe.
 */
public final class StaleFiles {
    private static final Logger log = LoggerFactory.getLogger(StaleFiles.class);
    /** The prefix of a node's socket directory; the node's pid follows, then a random part. */
    public static final String SOCKET_DIR_PREFIX = "procactor-";
    private static final Pattern SOCKET_DIR = Pattern.compile("procactor-(\\d+)-\\d+");
    private static final Pattern ADMIN_SOCKET = Pattern.compile("(\\d+)-\\d+\\.sock");
    /** A system's shared-memory directory, {@code <node pid>-<random>} under the segment root (see {@link SharedMemory}). */
    private static final Pattern SEGMENT_DIR = Pattern.compile("(\\d+)-\\d+");

    private StaleFiles() {
    }

    /** The name prefix for a new socket directory of this JVM: its pid lets a later node tell whether it is stale. */
    public static String socketDirPrefix() {
        return SOCKET_DIR_PREFIX + ProcessHandle.current().pid() + "-";
    }

    /**
     * Removes the stale entries under {@code socketDir} and {@code adminDir} (either may be null or
     * missing).
     *
     * @return the paths removed
     */
    public static List<Path> sweep(Path socketDir, Path adminDir) {
        List<Path> removed = new ArrayList<>();
        sweep(socketDir, SOCKET_DIR, removed);
        sweep(adminDir, ADMIN_SOCKET, removed);
        if (!removed.isEmpty()) {
            log.debug("Removed {} files of nodes that are gone: {}", removed.size(), removed);
        }
        return removed;
    }

    /**
     * Removes the shared-memory directories under {@code segmentRoot} whose node is gone.
     *
     * @return the directories removed
     */
    public static List<Path> sweepSegments(Path segmentRoot) {
        List<Path> removed = new ArrayList<>();
        sweep(segmentRoot, SEGMENT_DIR, removed);
        if (!removed.isEmpty()) {
            log.debug("Removed the shared memory of {} nodes that are gone: {}", removed.size(), removed);
        }
        return removed;
    }

    private static void sweep(Path dir, Pattern pattern, List<Path> removed) {
        if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Matcher m = pattern.matcher(entry.getFileName().toString());
                if (m.matches() && isOrphan(entry, Long.parseLong(m.group(1)))) {
                    delete(entry, removed);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Could not sweep {}: {}", dir, e.toString());
        }
    }

    private static boolean isOrphan(Path entry, long pid) throws IOException {
        if (pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        return !Files.isSymbolicLink(entry)
                && Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS).getName().equals(PrivateFiles.currentUser().getName());
    }

    private static void delete(Path entry, List<Path> removed) {
        try (Stream<Path> tree = Files.walk(entry)) { // walk does not follow links
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            removed.add(entry);
        } catch (IOException | RuntimeException e) {
            log.debug("Could not remove {}: {}", entry, e.toString());
        }
    }
}
