package io.procactor.internal.child;

import io.procactor.internal.wire.ChildBootstrap;
import io.procactor.ExitStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
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
        AtomicReference<ChildRuntime> built = watchStdin(stdin, ChildRuntime::parentLost);
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
        AtomicReference<SpareLink> opened = watchStdin(stdin, SpareLink::parentLost);
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

    /**
     * Watches stdin from now on: when it closes, the node is gone, and the child halts, through
     * {@code parentLost} of what the returned reference holds by then (a runtime, or a spare's link),
     * at once if it holds nothing yet.
     */
    private static <T> AtomicReference<T> watchStdin(BufferedReader stdin, BiConsumer<T, String> parentLost) {
        AtomicReference<T> target = new AtomicReference<>();
        Thread watcher = new Thread(() -> {
            try {
                while (stdin.read() >= 0) {
                    // nothing more is sent on stdin; reading only detects that it closed
                }
            } catch (Exception e) {
                // closed or broken: the node is gone either way
            }
            T t = target.get();
            if (t == null) {
                Runtime.getRuntime().halt(ExitStatus.PARENT_LOST_CODE); // gone while this JVM started
            }
            parentLost.accept(t, "stdin closed");
        }, "procactor-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
        return target;
    }
}
