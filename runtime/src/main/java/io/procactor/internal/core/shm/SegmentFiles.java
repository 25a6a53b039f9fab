package io.procactor.internal.core.shm;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where segments live and how a segment file is laid out. The root is a per-user directory in
 * {@code /dev/shm} (memory, never written to disk) where it exists, else under the JVM's temp
 * directory; in it each system has a directory {@code <node pid>-<random>} so that what a dead
 * node left can be told from a live node's (see the node's {@code StaleFiles}). A segment file:
 *
 * <pre>
 *   0  int   magic 'PASH'        16 long  token (random, also in every handle)
 *   4  int   layout version      24 int   closed (1 once its system closed it)
 *   8  int   type code           64 ...   data: the elements, or the lock word
 *  12  int   length (elements)
 * </pre>
 *
 * The data starts on its own cache line, so the header, read on every operation, stays shared.
 *
 * <p>Stateless; thread-safe.
 */
public final class SegmentFiles {
    static final int MAGIC = 0x50415348;
    static final int VERSION = 1;
    static final int TYPE = 8;
    static final int LENGTH = 12;
    static final int TOKEN = 16;
    static final int CLOSED = 24;
    static final int DATA = 64;
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.complementOf(
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));

    private SegmentFiles() {
    }

    /** This user's segment root: {@code /dev/shm/procactor-<user>}, or {@code <tmpdir>/procactor-<user>/shm} without /dev/shm. */
    public static Path root() {
        String user = "procactor-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm.resolve(user);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), user, "shm");
    }

    /** The file size of a segment of {@code length} elements of {@code type}. */
    static long size(SharedType type, int length) {
        return DATA + (long) type.elementBytes() * length;
    }

    /**
     * Creates {@code file} (mode 0600; it must not exist) and maps it, header written.
     *
     * @throws IOException when the file exists or cannot be created
     */
    public static MappedByteBuffer create(Path file, SharedType type, int length, long token) throws IOException {
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, size(type, length)); // grows the file, zeroed
            buf.order(ByteOrder.nativeOrder());
            buf.putInt(4, VERSION);
            buf.putInt(TYPE, type.code());
            buf.putInt(LENGTH, length);
            buf.putLong(TOKEN, token);
            buf.putInt(0, MAGIC);
            return buf;
        }
    }

    /**
     * Maps the segment {@code id} names, after checking it is what the handle says: a regular file
     * of this user's (not a link) that group and others cannot open, with the handle's type, length
     * and token.
     *
     * @throws IllegalStateException naming the object when the segment is gone or is not the one named
     */
    static MappedByteBuffer open(SegmentId id) {
        Path file = Path.of(id.path());
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> open = EnumSet.copyOf(a.permissions());
            open.retainAll(GROUP_OR_OTHER);
            if (!a.isRegularFile() || !open.isEmpty() || a.size() != size(id.type(), id.length())) {
                throw new IllegalStateException(id.describe() + ": its segment [" + file + "] is not a private segment file "
                        + "of the expected size (mode " + PosixFilePermissions.toString(a.permissions()) + ", " + a.size()
                        + " bytes); it was replaced by something else: create the object again");
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, a.size());
                buf.order(ByteOrder.nativeOrder());
                if (buf.getInt(0) != MAGIC || buf.getInt(4) != VERSION || buf.getInt(TYPE) != id.type().code()
                        || buf.getInt(LENGTH) != id.length() || buf.getLong(TOKEN) != id.token()) {
                    throw gone(id, "its segment file [" + file + "] now holds another object");
                }
                return buf;
            }
        } catch (NoSuchFileException e) {
            throw gone(id, "its segment file [" + file + "] was removed");
        } catch (IOException e) {
            throw new IllegalStateException(id.describe() + ": cannot map its segment [" + file + "]: " + e, e);
        }
    }

    static IllegalStateException gone(SegmentId id, String why) {
        return new IllegalStateException(id.describe() + " is closed: " + why + " (its actor system closed, or its node "
                + "exited); shared objects live as long as the system that created them: create a new one in a running system");
    }
}
