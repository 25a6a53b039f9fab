package io.procactor.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EpollTransportTest extends TransportContractTest {
    @BeforeAll
    static void epollAvailable() {
        Assumptions.assumeTrue(Epoll.isAvailable(), () -> "native epoll unavailable: " + Epoll.unavailabilityCause());
    }

    @Override
    TransportKind kind() {
        return TransportKind.EPOLL;
    }

    /**
     * An idle I/O thread sleeps until there is I/O: Netty 4.2's loop would wake every second to purge
     * its timers (see Sockets), which is most of what an idle child costs. Counted with the kernel's
     * voluntary context switches of this transport's threads over a few idle seconds.
     */
    @Test
    void idleIoThreadsDoNotWakeUp() throws Exception {
        String tag = "Zq"; // thread names are cut to 15 characters in /proc: "procactor-io-Zq"
        Transport serverTransport = transport(tag + "srv", TestMessages.withSeq());
        Transport clientTransport = transport(tag + "cli", TestMessages.withSeq());
        RecordingInbound inbound = new RecordingInbound();
        Server server = bind(serverTransport, inbound, new ArrayList<>());
        Connection client = connect(clientTransport, server, new RecordingInbound());
        client.send("wake");
        assertThat(inbound.next()).isEqualTo("wake");

        // A voluntary context switch is counted when a thread goes to sleep: one still finishing the "wake"
        // exchange (likely on a busy machine) would add one without any wake-up. Count from when all sleep.
        await().atMost(WAIT).until(() -> allAsleep("procactor-io-" + tag));
        long before = wakeUps("procactor-io-" + tag);
        java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(2500)); // the idle time measured, not a wait for anything
        long after = wakeUps("procactor-io-" + tag);
        assertThat(after - before).as("wake-ups of idle I/O threads in 2.5 s (Netty's default: one per thread per second)")
                .isLessThanOrEqualTo(1);
    }

    /** Whether every thread named {@code comm} is asleep (state S in {@code /proc/self/task/TID/stat}); false when there is none. */
    private static boolean allAsleep(String comm) throws IOException {
        List<String> stats = ofThreadsNamed(comm, "stat");
        // the state follows the name in parentheses
        return !stats.isEmpty() && stats.stream().allMatch(stat -> stat.charAt(stat.lastIndexOf(')') + 2) == 'S');
    }

    private static long wakeUps(String comm) throws IOException {
        long sum = 0;
        for (String status : ofThreadsNamed(comm, "status")) {
            for (String line : status.split("\n")) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        }
        return sum;
    }

    /** {@code /proc/self/task/TID/<file>} of each live thread named {@code comm}; a thread that ends while we read is left out. */
    private static List<String> ofThreadsNamed(String comm, String file) throws IOException {
        List<String> found = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String content = Files.readString(t.resolve(file));
                    if (Files.readString(t.resolve("comm")).trim().equals(comm)) {
                        found.add(content);
                    }
                } catch (NoSuchFileException ended) {
                    // another test's thread, gone
                }
            }
        }
        return found;
    }
}
