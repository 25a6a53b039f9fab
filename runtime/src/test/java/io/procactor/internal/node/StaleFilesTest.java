package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleFilesTest {
    @Test
    void removesOnlyWhatNodesThatAreGoneLeftBehind(@TempDir Path tmp) throws Exception {
        long dead = deadPid();
        long alive = ProcessHandle.current().pid();
        Path sockets = Files.createDirectory(tmp.resolve("sockets"));
        Path admin = Files.createDirectory(tmp.resolve("admin"));
        Path deadDir = Files.createDirectory(sockets.resolve("procactor-" + dead + "-123"));
        Files.createFile(deadDir.resolve("node.sock"));
        Path liveDir = Files.createDirectory(sockets.resolve("procactor-" + alive + "-456"));
        Path unrelated = Files.createDirectory(sockets.resolve("procactor-not-a-node"));
        Path deadSocket = Files.createFile(admin.resolve(dead + "-1.sock"));
        Path liveSocket = Files.createFile(admin.resolve(alive + "-1.sock"));
        Path linkToDead = Files.createSymbolicLink(sockets.resolve("procactor-" + dead + "-789"), liveDir);

        assertThat(StaleFiles.sweep(sockets, admin)).containsExactlyInAnyOrder(deadDir, deadSocket);

        assertThat(deadDir).doesNotExist();
        assertThat(deadSocket).doesNotExist();
        assertThat(liveDir).exists();
        assertThat(liveSocket).exists();
        assertThat(unrelated).exists();
        assertThat(Files.isSymbolicLink(linkToDead)).as("links are never followed nor removed").isTrue();
    }

    @Test
    void missingDirectoriesAreFine(@TempDir Path tmp) {
        assertThat(StaleFiles.sweep(tmp.resolve("none"), null)).isEmpty();
    }

    @Test
    void aNewSocketDirectoryNamesThisJvm() {
        assertThat(StaleFiles.socketDirPrefix()).isEqualTo("procactor-" + ProcessHandle.current().pid() + "-");
    }

    @Test
    void aStartingNodeSweepsWhatDeadNodesLeftInItsSocketDirectory(@TempDir Path tmp) throws Exception {
        Path deadDir = Files.createDirectory(tmp.resolve("procactor-" + deadPid() + "-1"));
        String config = "procactor.transport.socket-dir = \"" + tmp + "\"\nprocactor.admin.enabled = off";
        try (io.procactor.ActorSystem system = io.procactor.ActorSystem.create("sweeper",
                com.typesafe.config.ConfigFactory.parseString(config))) {
            assertThat(deadDir).doesNotExist();
            try (var dirs = Files.list(tmp)) {
                assertThat(dirs.map(p -> p.getFileName().toString()))
                        .as("the node's own directory names its pid").anyMatch(n -> n.startsWith(StaleFiles.socketDirPrefix()));
            }
        }
    }

    /** The pid of a process that has exited and been reaped. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.pid();
    }
}
