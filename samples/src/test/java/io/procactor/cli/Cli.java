package io.procactor.cli;

import static org.assertj.core.api.Assertions.fail;

import io.procactor.ProcactorConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI the way bin/procactor does, as a separate JVM with this test JVM's class path and
 * the repository root as {@code procactor.home} and working directory.
 */
public final class Cli {
    /** The repository root: the parent of the samples module, where surefire runs. */
    public static final Path HOME = Path.of("").toAbsolutePath().getParent();

    private Cli() {
    }

    /** What one run produced. */
    public record Result(int exitCode, String stdout, String stderr, Duration took) {
        public List<String> lines() {
            return stdout.lines().toList();
        }

        public List<String> linesContaining(String s) {
            return lines().stream().filter(l -> l.contains(s)).toList();
        }

        @Override
        public String toString() {
            return "exit code " + exitCode + " after " + took.toMillis() + " ms\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Runs {@code procactor args...}, waiting at most {@code timeout}. */
    public static Result run(Duration timeout, String... args) {
        return start(args).await(timeout);
    }

    /** Starts {@code procactor args...} without waiting: for commands that run until stopped (a node for {@code ps}). */
    public static Running start(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dprocactor.home=" + HOME,
                // the CLI's own logback.xml, as with bin/procactor: the runtime test-jar on this
                // class path brings a logback-test.xml, which Logback would prefer
                "-Dlogback.configurationFile=logback.xml",
                "-Dprocactor.test.node=true")); // lets .ci/run find a node JVM this suite left behind
        cmd.addAll(ProcactorConfig.jvmFlagsForThisJdk()); // as bin/procactor does: else newer JDKs warn on stderr
        cmd.add(ProcactorCli.class.getName());
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(HOME.toFile()).start();
            p.getOutputStream().close(); // the CLI reads no input
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Running(p, args);
    }

    /** A CLI JVM started by {@link #start}; its output is collected as it comes. */
    public static final class Running {
        private final Process process;
        private final String[] args;
        private final long start = System.nanoTime();
        private final Drain out;
        private final Drain err;

        Running(Process process, String[] args) {
            this.process = process;
            this.args = args;
            this.out = new Drain(process.getInputStream());
            this.err = new Drain(process.getErrorStream());
        }

        public long pid() {
            return process.pid();
        }

        /** What it printed on stdout so far. */
        public String stdoutSoFar() {
            return out.text();
        }

        /** SIGTERM, as Ctrl-C would (the CLI's shutdown hook closes its actor system). */
        public void terminate() {
            process.destroy();
        }

        /** Waits at most {@code timeout} for it to exit (failing the test and killing it otherwise). */
        public Result await(Duration timeout) {
            Process p = process;
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    fail("procactor " + String.join(" ", args) + " did not finish within " + timeout
                            + "\n--- stdout so far\n" + out.text() + "--- stderr so far\n" + err.text());
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                // the streams end when the CLI and every child that inherited them are gone
                out.await();
                err.await();
                return new Result(p.exitValue(), out.text(), err.text(), took);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IllegalStateException("interrupted while running procactor " + String.join(" ", args), e);
            }
        }
    }

    /** Reads a stream to its end on its own thread; what arrived so far is available at any time. */
    private static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in) {
            thread = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (in) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        synchronized (bytes) {
                            bytes.write(buf, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the process is gone; keep what arrived
                }
            }, "cli-output-drain");
            thread.setDaemon(true);
            thread.start();
        }

        void await() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
