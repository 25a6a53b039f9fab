package io.procactor.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.epoll.Epoll;
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
        Server server = bind(serverTransport, inbound, new java.util.ArrayList<>());
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

    /** A file of thread {@code task}, trimmed, or null when the thread ended while we listed (another test's, say). */
    private static String readIfAlive(java.nio.file.Path task, String file) throws java.io.IOException {
        try {
            return java.nio.file.Files.readString(task.resolve(file)).trim();
        } catch (java.nio.file.NoSuchFileException ended) {
            return null;
        }
    }

    /** Whether every thread named {@code comm} is asleep (state S in {@code /proc/self/task/TID/stat}); false when there is none. */
    private static boolean allAsleep(String comm) throws java.io.IOException {
        int threads = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) tasks::iterator) {
                String stat = readIfAlive(t, "stat");
                if (stat != null && comm.equals(readIfAlive(t, "comm"))) {
                    if (stat.charAt(stat.lastIndexOf(')') + 2) != 'S') { // the state follows the name in parentheses
                        return false;
                    }
                    threads++;
                }
            }
        }
        return threads > 0;
    }

    private static long wakeUps(String comm) throws java.io.IOException {
        long sum = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) tasks::iterator) {
                String status = readIfAlive(t, "status");
                if (status != null && comm.equals(readIfAlive(t, "comm"))) {
                    for (String line : status.split("\n")) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                }
            }
        }
        return sum;
    }
}
