package io.procactor.cluster.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ip} (iproute2) and a few other configuration commands for the network-namespace
 * harness. They talk netlink to the kernel, never to a namespace address, so running them from the
 * root namespace is fine. Stateless; thread-safe.
 */
final class Ip {
    private static final long TIMEOUT_SECONDS = 30;

    private Ip() {
    }

    /** Runs {@code ip args...}; returns its stdout, or throws naming the command and its stderr. */
    static String ip(String... args) {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs {@code command}; returns its stdout, or throws naming the command, its exit code and its output. */
    static String run(List<String> command) {
        Result r = tryRun(command);
        if (r.code != 0) {
            throw new IllegalStateException("`" + String.join(" ", command) + "` failed with exit code " + r.code + ": "
                    + r.output.strip());
        }
        return r.output;
    }

    /** Runs {@code command}: exit code and output (stdout and stderr merged). */
    static Result tryRun(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** A finished command: exit code (-1 when it could not run) and output. */
    record Result(int code, String output) {
    }
}
