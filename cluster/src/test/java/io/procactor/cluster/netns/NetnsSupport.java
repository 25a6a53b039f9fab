package io.procactor.cluster.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether this machine can run the network-namespace tests: Linux, root (creating namespaces and
 * veth pairs needs CAP_NET_ADMIN and CAP_SYS_ADMIN), iproute2 with {@code ip netns}. Checked once,
 * by creating and deleting a probe namespace. Thread-safe (the answer is computed once).
 */
final class NetnsSupport {
    private static volatile Optional<String> unavailable;

    private NetnsSupport() {
    }

    /** Why the tests cannot run here, or empty when they can. */
    static Optional<String> whyUnavailable() {
        Optional<String> u = unavailable;
        if (u == null) {
            u = probe();
            unavailable = u;
        }
        return u;
    }

    private static Optional<String> probe() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.of("network namespaces need Linux; this is " + System.getProperty("os.name"));
        }
        if (!isRoot()) {
            return Optional.of("creating network namespaces needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN); run the build as root");
        }
        Ip.Result version = Ip.tryRun(List.of("ip", "-V"));
        if (version.code() != 0) {
            return Optional.of("`ip` (iproute2) is not installed or does not run: " + version.output().strip());
        }
        String probe = NetnsLab.PREFIX + ProcessHandle.current().pid() + "-probe";
        Ip.Result add = Ip.tryRun(List.of("ip", "netns", "add", probe));
        if (add.code() != 0) {
            return Optional.of("`ip netns add` failed (" + add.output().strip() + "): namespaces are not allowed here");
        }
        Ip.tryRun(List.of("ip", "netns", "delete", probe));
        return Optional.empty();
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:"))
                    .anyMatch(l -> l.split("\\s+")[2].equals("0")); // effective uid
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Skips the calling test (saying why) where namespaces cannot be made. */
    static void assumeAvailable() {
        String why = whyUnavailable().orElse("");
        assumeTrue(why.isEmpty(), () -> "skipped: " + why);
    }

    /**
     * Fails if a node started in {@code lab} left a shared-memory directory behind: each actor system
     * keeps its segments in {@code /dev/shm/procactor-<user>/<node pid>-<random>} (or under the temp
     * directory without /dev/shm), deleted when it closes. Call after the lab is closed.
     */
    static void assertNoSegmentsLeftBy(NetnsLab lab) throws java.io.IOException {
        String user = "procactor-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
        List<String> pids = lab.participantPids().stream().map(pid -> pid + "-").toList();
        for (Path root : List.of(Path.of("/dev/shm", user), Path.of(System.getProperty("java.io.tmpdir"), user, "shm"))) {
            if (Files.isDirectory(root)) {
                try (var dirs = Files.list(root)) {
                    assertThat(dirs.map(d -> d.getFileName().toString()))
                            .as("shared-memory directories of the lab's nodes in " + root)
                            .noneMatch(name -> pids.stream().anyMatch(name::startsWith));
                }
            }
        }
    }

    /** Fails if a namespace of this JVM's labs is still there (call after a test class). */
    static void assertNoneLeftByThisJvm() {
        if (whyUnavailable().isEmpty()) {
            String mine = NetnsLab.PREFIX + ProcessHandle.current().pid() + "-";
            assertThat(NetnsLab.listNamespaces()).noneMatch(ns -> ns.startsWith(mine));
        }
    }
}
