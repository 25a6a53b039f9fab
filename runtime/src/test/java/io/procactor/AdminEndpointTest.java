package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.ProcessFaults;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The node's admin endpoint, which {@code procactor ps} reads: what it reports, who can reach it, its lifetime. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class AdminEndpointTest {
    private static final Duration FIRST_ASK = Timeouts.seconds(60);

    @TempDir
    Path tmp;

    private Config config(String more) {
        return ConfigFactory.parseString("procactor.admin.dir = \"" + tmp.resolve("nodes") + "\"\n" + more);
    }

    static String request(Path socket, String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (ch.read(buf) >= 0) {
                if (!buf.hasRemaining()) {
                    throw new IOException("answer too long");
                }
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void statusListsTheChildrenWithPidActorsMailboxesAndHeap() throws Exception {
        Path socket;
        try (ActorSystem system = ActorSystem.create("admin-status", config(""))) {
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "doubler");
            assertThat(p.ref().<Integer>ask(21, FIRST_ASK).get(60, TimeUnit.SECONDS)).isEqualTo(42);
            socket = system.node().adminSocket().orElseThrow();

            assertThat(socket.getParent()).isEqualTo(tmp.resolve("nodes"));
            assertThat(socket.getFileName().toString()).matches(system.pid() + "-\\d+\\.sock");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");

            Config status = ConfigFactory.parseString(request(socket, "status"));
            assertThat(status.getInt("protocol")).isEqualTo(1);
            assertThat(status.getString("system")).isEqualTo("admin-status");
            assertThat(status.getLong("pid")).isEqualTo(system.pid());
            assertThat(status.getLong("uptime-ms")).isPositive();
            List<? extends Config> processes = status.getConfigList("processes");
            assertThat(processes).hasSize(1);
            Config child = processes.get(0);
            assertThat(child.getString("name")).isEqualTo("doubler");
            assertThat(child.getLong("pid")).isEqualTo(p.pid());
            assertThat(child.getString("state")).isEqualTo("running");
            assertThat(child.getInt("restarts")).isZero();
            assertThat(child.getLong("uptime-ms")).isPositive();
            assertThat(child.getConfigList("actors")).singleElement().satisfies(a -> {
                assertThat(a.getString("name")).isEqualTo("doubler");
                assertThat(a.getInt("mailbox")).isZero();
            });
            assertThat(child.getLong("heap.used")).isPositive();
            assertThat(child.getLong("heap.max")).isGreaterThanOrEqualTo(child.getLong("heap.used"));

            assertThat(ConfigFactory.parseString(request(socket, "shutdown")).getString("error"))
                    .isEqualTo("unknown command [shutdown]; known: status");
        }
        assertThat(socket).as("deleted at close()").doesNotExist();
    }

    @Test
    void statusNamesWhenTheNodeStartedAndTheConfigurationFilesItWasStartedWith() throws Exception {
        Path file = Files.writeString(tmp.resolve("node.conf"), "procactor.admin.dir = \"" + tmp.resolve("nodes") + "\"\n"
                + "procactor.mailbox.capacity = 5\n");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (ActorSystem fromFile = ActorSystem.create("twin", ConfigFactory.parseFile(file.toFile()));
             ActorSystem fromCode = ActorSystem.create("twin", config(""))) {
            Instant after = Instant.now();
            Config one = ConfigFactory.parseString(request(fromFile.node().adminSocket().orElseThrow(), "status"));
            Config two = ConfigFactory.parseString(request(fromCode.node().adminSocket().orElseThrow(), "status"));

            assertThat(Instant.parse(one.getString("started"))).isBetween(before, after);
            assertThat(one.getStringList("config-files")).containsExactly(file.toString());
            assertThat(two.getStringList("config-files")).as("a configuration made in code has no file").isEmpty();
            assertThat(Instant.parse(two.getString("started"))).isBetween(before, after);
        }
    }

    @Test
    void aChildThatDoesNotAnswerIsShownUnresponsive() throws Exception {
        Config c = config("procactor.admin.status-timeout = 300ms\nprocactor.process.heartbeat-timeout = 120s");
        try (ActorSystem system = ActorSystem.create("admin-stopped", c)) {
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "sleepy");
            p.ref().ask(1, FIRST_ASK).get(60, TimeUnit.SECONDS);
            Path socket = system.node().adminSocket().orElseThrow();
            ProcessFaults.stop(p);
            try {
                Config child = ConfigFactory.parseString(request(socket, "status")).getConfigList("processes").get(0);
                assertThat(child.getString("state")).isEqualTo("unresponsive");
                assertThat(child.hasPath("actors")).isFalse();
            } finally {
                ProcessFaults.resume(p);
            }
            await().atMost(Timeouts.seconds(30)).until(() -> ConfigFactory.parseString(request(socket, "status"))
                    .getConfigList("processes").get(0).getString("state").equals("running"));
        }
    }

    @Test
    void noEndpointWhenDisabled() {
        try (ActorSystem system = ActorSystem.create("admin-off", config("procactor.admin.enabled = off"))) {
            assertThat(system.node().adminSocket()).isEmpty();
            assertThat(tmp.resolve("nodes")).doesNotExist();
        }
    }
}
