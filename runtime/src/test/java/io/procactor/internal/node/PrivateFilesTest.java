package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    private static final String FIX = "Do the fix.";

    @Test
    void aMissingDirectoryIsCreatedPrivate(@TempDir Path tmp) throws Exception {
        Path dir = PrivateFiles.directory(tmp.resolve("a"), FIX);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(Files.getOwner(dir)).isEqualTo(PrivateFiles.currentUser());
        assertThat(PrivateFiles.directory(dir, FIX)).as("an existing private directory passes").isEqualTo(dir);
    }

    @Test
    void aDirectoryOpenToOthersIsRefusedWithPathOwnerModeAndFix(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PrivateFiles.directory(dir, FIX))
                .isInstanceOf(PrivateFiles.InsecureFileException.class)
                .hasMessageContaining("[" + dir + "]")
                .hasMessageContaining("mode [rwxrwxrwx]")
                .hasMessageContaining("owner [" + PrivateFiles.currentUser().getName() + "]")
                .hasMessageEndingWith(FIX);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as("left as it was").isEqualTo("rwxrwxrwx");
    }

    @Test
    void aSymbolicLinkIsRefusedAndNotFollowed(@TempDir Path tmp) throws Exception {
        Path target = PrivateFiles.directory(tmp.resolve("real"), FIX);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        assertThatThrownBy(() -> PrivateFiles.directory(link, FIX)).hasMessageContaining("symbolic link");
        Path fileLink = Files.createSymbolicLink(tmp.resolve("file-link"), Files.createFile(target.resolve("f"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
        assertThatThrownBy(() -> PrivateFiles.file(fileLink, FIX)).hasMessageContaining("symbolic link");
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused(@TempDir Path tmp) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a directory to another user here");
        Path dir = Files.createDirectory(tmp.resolve("theirs"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(dir, nobody);
        assertThatThrownBy(() -> PrivateFiles.directory(dir, FIX))
                .isInstanceOf(PrivateFiles.InsecureFileException.class)
                .hasMessageContaining("belongs to [nobody]");
    }

    @Test
    void aFileMustBePrivateAndRegular(@TempDir Path tmp) throws Exception {
        Path file = Files.createFile(tmp.resolve("f"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        PrivateFiles.file(file, FIX);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> PrivateFiles.file(file, FIX)).hasMessageContaining("open to group or others");
        assertThatThrownBy(() -> PrivateFiles.file(tmp, FIX)).hasMessageContaining("is not a regular file");
        assertThat(Files.exists(file, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
