package io.procactor.cluster.agent;

import static org.awaitility.Awaitility.await;

import io.procactor.testkit.Timeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One agent JVM started by a test ({@link AgentTestMain}), its output in
 * {@code cluster/target/agent-logs/<host>.log}. {@link #kill} is SIGKILL; {@link #close} closes its
 * stdin (it leaves the cluster and exits) and kills it if it has not exited in 10 s.
 */
final class AgentJvm implements AutoCloseable {
    final String host;
    final Process process;
    final Path log;
    /** {@code host@incarnation}, once it registered. */
    String member;

    private AgentJvm(String host, Process process, Path log) {
        this.host = host;
        this.process = process;
        this.log = log;
    }

    static AgentJvm start(String host, String hocon) throws IOException {
        Path dir = Path.of("target", "agent-logs");
        Files.createDirectories(dir);
        Path log = dir.resolve(host + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                AgentTestMain.class.getName(), hocon));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AgentJvm agent = new AgentJvm(host, p, log);
        await().atMost(Timeouts.seconds(30)).pollInterval(java.time.Duration.ofMillis(50)).until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("agent " + host + " exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            return agent.registered().isPresent();
        });
        agent.member = agent.registered().orElseThrow();
        return agent;
    }

    private Optional<String> registered() throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("AGENT "))
                .map(l -> l.split(" ")[1]).findFirst();
    }

    void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.getOutputStream().close();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
