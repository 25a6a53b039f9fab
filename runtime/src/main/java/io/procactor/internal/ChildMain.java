package io.procactor.internal;

import io.procactor.ExitStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of a child JVM. Reads its {@link ChildBootstrap} from stdin, then watches stdin:
 * when it closes, the node is gone and the child halts at once (Erlang's {@code peer} rule), so
 * no child outlives its node.
 */
public final class ChildMain {
    private static final Logger log = LoggerFactory.getLogger(ChildMain.class);

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ChildBootstrap bootstrap;
        try {
            bootstrap = ChildBootstrap.readFrom(stdin);
        } catch (Exception e) {
            System.err.println("procactor child: " + e.getMessage());
            System.exit(ExitStatus.STARTUP_FAILED_CODE);
            return;
        }
        int code;
        try {
            ChildRuntime runtime = new ChildRuntime(bootstrap);
            Thread watcher = new Thread(() -> watchStdin(stdin, runtime), "procactor-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
            code = runtime.run();
        } catch (Throwable t) {
            log.error("Process [{}] failed to start", bootstrap.name(), t);
            code = ExitStatus.STARTUP_FAILED_CODE;
        }
        System.exit(code);
    }

    private static void watchStdin(BufferedReader stdin, ChildRuntime runtime) {
        try {
            while (stdin.read() >= 0) {
                // nothing more is sent on stdin; reading only detects that it closed
            }
        } catch (Exception e) {
            // closed or broken: the node is gone either way
        }
        runtime.parentLost("stdin closed");
    }
}
