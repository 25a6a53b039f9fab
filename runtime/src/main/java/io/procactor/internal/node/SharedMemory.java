package io.procactor.internal.node;

import io.procactor.internal.core.Names;
import io.procactor.internal.core.shm.MappedSegment;
import io.procactor.internal.core.shm.SegmentFiles;
import io.procactor.internal.core.shm.SegmentId;
import io.procactor.internal.core.shm.SegmentRef;
import io.procactor.internal.core.shm.SegmentTable;
import io.procactor.internal.core.shm.SharedType;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of shared memory: creates a system's segments in its own directory
 * ({@code <segment root>/<node pid>-<random>}, mode 0700, made on first use; files 0600) and, when
 * the system closes, marks every segment closed (so handles in any process fail clearly) and
 * removes the directory. What a node that died left is removed by {@link StaleFiles}.
 *
 * <p>Threads: thread-safe; {@code create} on user threads, {@code close} on the closing thread.
 */
public final class SharedMemory {
    private static final Logger log = LoggerFactory.getLogger(SharedMemory.class);
    private static final String FIX = "Remove it (it is procactor's shared-memory directory), or run as the user who owns it.";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String systemName;
    private final SegmentTable table;
    private Path dir;          // guarded by this
    private boolean closed;    // guarded by this

    SharedMemory(String systemName, SegmentTable table) {
        this.systemName = systemName;
        this.table = table;
    }

    public SegmentTable table() {
        return table;
    }

    /**
     * A new segment for {@code length} elements of {@code type}, all zero.
     *
     * @throws IllegalArgumentException when the name is invalid or taken by another object of the type, or the length is out of range
     * @throws IllegalStateException    when the system is closed or the segment cannot be created
     */
    public synchronized SegmentRef create(SharedType type, String name, int length) {
        if (closed) {
            throw new IllegalStateException("actor system [" + systemName + "] is closed; create " + type.apiName()
                    + " [" + name + "] in a running system");
        }
        Names.check(name, type.apiName());
        int max = (int) ((Integer.MAX_VALUE - 64L) / type.elementBytes());
        if (length < 0 || length > max) { // 0 is allowed, as Python's Array('i', 0): an empty array
            throw new IllegalArgumentException(type.apiName() + " [" + name + "] length [" + length + "] is out of range; "
                    + "give a length from 0 to " + max);
        }
        Path file = null;
        try {
            file = directory().resolve(name + "." + type.name().toLowerCase(java.util.Locale.ROOT));
            long token = RANDOM.nextLong();
            SegmentId id = table.newId(type, name, length, file.toString(), token);
            MappedSegment m = table.add(id, SegmentFiles.create(file, type, length, token));
            return new SegmentRef(m);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("actor system [" + systemName + "] has a " + type.apiName() + " named [" + name
                    + "] already; give each its own name, or pass the one you have");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + type.apiName() + " [" + name + "] at [" + file + "]: " + e
                    + "; check the space and permissions of " + SegmentFiles.root(), e);
        }
    }

    private Path directory() throws IOException {
        if (dir == null) {
            Path root = SegmentFiles.root();
            if (root.getParent() != null && root.getParent().getFileName().toString().startsWith("procactor-")) {
                PrivateFiles.directory(root.getParent(), FIX); // the temp-directory fallback: <tmp>/procactor-<user>/shm
            }
            PrivateFiles.directory(root, FIX);
            // named by our pid: a later node or `procactor clean` removes it if we die without closing
            dir = Files.createTempDirectory(root, ProcessHandle.current().pid() + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return dir;
    }

    /** Marks every segment closed and removes them. Idempotent. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        table.all().forEach(MappedSegment::markClosed);
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                log.warn("Could not remove the shared memory of actor system [{}] at {}: {}; `procactor clean` removes it "
                        + "once this process has exited", systemName, dir, e.toString());
            }
        }
    }
}
