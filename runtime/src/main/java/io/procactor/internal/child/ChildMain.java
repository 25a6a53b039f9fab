package io.procactor.internal.child;

import io.procactor.internal.wire.ChildBootstrap;
import io.procactor.ExitStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;

/**
 * Entry point of a child JVM. Reads its {@link ChildBootstrap} from stdin, then watches stdin:
 * when it closes, the node is gone and the child halts at once (Erlang's {@code peer} rule), so
 * no child outlives its node. Whatever goes wrong before the child is serving (even a class or
 * logging set-up that cannot load) ends the JVM with {@link ExitStatus#STARTUP_FAILED_CODE}: a
 * half-started child must never linger. A spare (see {@link SpareWarmup}, {@code SpareLink})
 * connects to its node and warms up first, and learns its process on its connection.
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
        SpareWarmup.Preamble spare;
        try {
            spare = SpareWarmup.readPreamble(stdin);
        } catch (java.io.EOFException nodeGone) {
            Runtime.getRuntime().halt(ExitStatus.PARENT_LOST_CODE); // a spare whose node went away: nothing to say
            return ExitStatus.PARENT_LOST_CODE;
        }
        if (spare != null) {
            return serveAsSpare(stdin, spare);
        }
        ChildBootstrap bootstrap = ChildBootstrap.readFrom(stdin);
        AtomicReference<ChildRuntime> built = new AtomicReference<>();
        watchStdin(stdin, why -> {
            ChildRuntime r = built.get();
            if (r == null) {
                Runtime.getRuntime().halt(ExitStatus.PARENT_LOST_CODE); // gone while this child started
            }
            r.parentLost(why);
        });
        if (bootstrap.rehearseAt() != null) {
            SpareWarmup.rehearseForArchive(bootstrap); // this JVM writes the class path's class-data archive
        }
        ChildRuntime runtime = new ChildRuntime(bootstrap);
        built.set(runtime);
        try {
            return runtime.run();
        } catch (Exception e) {
            return failedToStart(bootstrap.name(), e);
        }
    }

    /**
     * A spare connects to its node under its label first (so the node can give it a process at any
     * time), rehearses its start while nobody needs it, then waits for its process.
     */
    private static int serveAsSpare(BufferedReader stdin, SpareWarmup.Preamble spare) throws Exception {
        AtomicReference<SpareLink> opened = new AtomicReference<>();
        watchStdin(stdin, why -> {
            SpareLink l = opened.get();
            if (l == null) {
                Runtime.getRuntime().halt(ExitStatus.PARENT_LOST_CODE); // gone while this spare connected
            }
            l.parentLost(why);
        });
        SpareLink link = SpareLink.open(spare.bootstrap());
        opened.set(link);
        try {
            link.warmUp(spare.rehearseAt());
        } catch (Exception e) {
            System.err.println("procactor spare: warm-up failed: " + e); // costs the head start, nothing else
        }
        SpareWarmup.rehearse(spare, link.adopted()::isDone);
        ChildRuntime runtime;
        try {
            runtime = link.adopted().get();
        } catch (ExecutionException e) {
            return failedToStart(spare.bootstrap().name(), e);
        }
        return runtime.awaitExit();
    }

    private static int failedToStart(String name, Exception e) {
        LoggerFactory.getLogger(ChildMain.class).error("Process [{}] failed to start", name, e);
        // the log goes to stdout with its stack trace; one line on stderr is what the node's ExitStatus tail keeps
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        System.err.println("procactor child [" + name + "]: failed to start: " + cause);
        return ExitStatus.STARTUP_FAILED_CODE;
    }

    /** Halts the child through {@code parentLost} when stdin closes: the node is gone. */
    private static void watchStdin(BufferedReader stdin, java.util.function.Consumer<String> parentLost) {
        Thread watcher = new Thread(() -> {
            try {
                while (stdin.read() >= 0) {
                    // nothing more is sent on stdin; reading only detects that it closed
                }
            } catch (Exception e) {
                // closed or broken: the node is gone either way
            }
            parentLost.accept("stdin closed");
        }, "procactor-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
