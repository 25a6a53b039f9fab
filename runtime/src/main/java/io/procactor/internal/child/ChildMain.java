package io.procactor.internal.child;

import io.procactor.internal.wire.ChildBootstrap;
import io.procactor.ExitStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.slf4j.LoggerFactory;

/**
 * Entry point of a child JVM. Reads its {@link ChildBootstrap} from stdin, then watches stdin:
 * when it closes, the node is gone and the child halts at once (Erlang's {@code peer} rule), so
 * no child outlives its node. Whatever goes wrong before the child is serving (even a class or
 * logging set-up that cannot load) ends the JVM with {@link ExitStatus#STARTUP_FAILED_CODE}: a
 * half-started child must never linger. A spare (see {@link SpareWarmup}) warms up first and reads
 * its bootstrap when the node gives it a process.
 */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = serve();
        } catch (Throwable t) {
            t.printStackTrace();
            System.err.println("procactor child: failed to start: " + t); // last, so the node's tail of stderr keeps it
            System.err.flush();
            Runtime.getRuntime().halt(ExitStatus.STARTUP_FAILED_CODE);
            return;
        }
        System.exit(code);
    }

    private static int serve() throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!SpareWarmup.runIfSpare(stdin)) {
            Runtime.getRuntime().halt(ExitStatus.PARENT_LOST_CODE); // a spare whose node went away: nothing to say
        }
        ChildBootstrap bootstrap = ChildBootstrap.readFrom(stdin);
        ChildRuntime runtime = new ChildRuntime(bootstrap);
        Thread watcher = new Thread(() -> watchStdin(stdin, runtime), "procactor-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
        try {
            return runtime.run();
        } catch (Exception e) {
            LoggerFactory.getLogger(ChildMain.class).error("Process [{}] failed to start", bootstrap.name(), e);
            // the log goes to stdout with its stack trace; one line on stderr is what the node's ExitStatus tail keeps
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            System.err.println("procactor child [" + bootstrap.name() + "]: failed to start: " + cause);
            return ExitStatus.STARTUP_FAILED_CODE;
        }
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
