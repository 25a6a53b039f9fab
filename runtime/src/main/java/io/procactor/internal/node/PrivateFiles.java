package io.procactor.internal.node;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one rule for every file and directory the node trusts (socket directories, the admin
 * endpoint, class-data-sharing archives): created private (directories 0700, files 0600), owned by
 * the running user, never followed through a symbolic link; an existing one that breaks the rule
 * is refused with an {@link InsecureFileException} naming the path, its owner and mode, and what to
 * do. Refusing is the point: a directory under the shared temp directory that another local user
 * created first, or could write to, may hold files planted for our child JVMs to load.
 *
 * <p>Stateless; thread-safe.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** A trusted file or directory is not what it must be. */
    public static final class InsecureFileException extends IOException {
        private static final long serialVersionUID = 1L;

        InsecureFileException(String message) {
            super(message);
        }
    }

    /**
     * Creates {@code dir} with mode 0700 (its missing parents with the JVM's defaults), or checks
     * that the existing one is a real directory of this user that nobody else can enter.
     *
     * @param fix what the user can do when it is refused (a setting to change, say)
     * @return {@code dir}
     * @throws InsecureFileException when it exists and is a link, not a directory, another user's,
     *                               or open to group or others
     */
    public static Path directory(Path dir, String fix) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile, by another node of ours or by someone else: checked below
            }
        }
        check(dir, true, fix);
        return dir;
    }

    /**
     * This user's directory for what the node keeps between runs ({@code
     * ${java.io.tmpdir}/procactor-<user>}), not created: pass it, or what is under it, to
     * {@link #directory}.
     */
    public static Path userTempDirectory() {
        return userTempDirectory(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** The same under {@code tmpDir} instead of {@code java.io.tmpdir}. */
    static Path userTempDirectory(Path tmpDir) {
        return tmpDir.resolve("procactor-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /**
     * Checks that {@code file} is a regular file (not a link) of this user that group and others
     * can neither read nor write.
     *
     * @throws InsecureFileException when it is not
     */
    public static void file(Path file, String fix) throws IOException {
        check(file, false, fix);
    }

    private static void check(Path path, boolean directory, String fix) throws IOException {
        PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String what = directory ? "directory" : "file";
        if (a.isSymbolicLink()) {
            throw refused(path, a, "is a symbolic link; procactor never follows links for the files it trusts", fix);
        }
        if (directory ? !a.isDirectory() : !a.isRegularFile()) {
            throw refused(path, a, "is not a " + (directory ? "directory" : "regular file"), fix);
        }
        UserPrincipal me = currentUser();
        if (!a.owner().getName().equals(me.getName())) {
            throw refused(path, a, "belongs to [" + a.owner().getName() + "], not to the user running this JVM [" + me.getName()
                    + "]: another user may have created it to plant files in it", fix);
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(a.permissions());
        open.retainAll(GROUP_OR_OTHER);
        if (!open.isEmpty()) {
            throw refused(path, a, "is open to group or others; a private " + what + " must be mode "
                    + (directory ? "0700 (rwx------)" : "0600 (rw-------) or stricter"), fix);
        }
    }

    private static InsecureFileException refused(Path path, PosixFileAttributes a, String why, String fix) {
        return new InsecureFileException("Refusing [" + path + "] (owner [" + a.owner().getName() + "], mode ["
                + PosixFilePermissions.toString(a.permissions()) + "]): it " + why + ". " + fix);
    }

    /** The user this JVM runs as, as the file system names owners. */
    public static UserPrincipal currentUser() throws IOException {
        return CurrentUser.get();
    }

    /** Learned once from a file this JVM creates: the one answer the file system itself gives. */
    private static final class CurrentUser {
        private static volatile UserPrincipal user;

        static UserPrincipal get() throws IOException {
            UserPrincipal u = user;
            if (u == null) {
                Path probe = Files.createTempFile("procactor-owner-", ".tmp");
                try {
                    u = Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
                } finally {
                    Files.deleteIfExists(probe);
                }
                user = u;
            }
            return u;
        }
    }
}
