package io.procactor.internal.node;

import io.procactor.ProcessOptions;
import io.procactor.internal.child.ChildLoggerProvider;
import io.procactor.internal.child.ChildMain;
import io.procactor.internal.child.SpareWarmup;
import io.procactor.internal.config.Settings;
import io.procactor.internal.wire.ChildBootstrap;
import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one child JVM: builds its command line (the node's and the process's JVM options,
 * class-data sharing, the flags this JDK needs, the class path, {@link ChildMain}), launches it,
 * starts the pumps of its stdout and stderr, and hands it its {@link ChildBootstrap} on stdin.
 * What the JVM does after that is {@link ChildHandle}'s business.
 *
 * <p>Thread-safe: holds no state of its own; called by whichever thread launches an incarnation
 * (a user thread in {@code start()}, the executor after waiting for admission, the scheduler for
 * a restart), under the handle's lock.
 */
final class ChildLauncher {
    private static final Logger log = LoggerFactory.getLogger(ChildLauncher.class);

    /** A launched JVM with its output pumps running and its bootstrap handed over. */
    record Launched(Process process, OutputPump stdout, OutputPump stderr, ClassDataSharing.Launch cds, Credentials secret) {
    }

    private final NodeRuntime node;
    private final Class<?> actorClass; // its jar joins the class path when the system's lacks it

    ChildLauncher(NodeRuntime node, Class<?> actorClass) {
        this.node = node;
        this.actorClass = actorClass;
    }

    /** The class path of this process's JVMs, and where it comes from. */
    ChildClassPath.Chosen classPath(ProcessOptions options) {
        return node.childClassPath().forProcess(options, actorClass);
    }

    /** A JVM with its output pumps running, waiting for its bootstrap on {@code stdin}: a spare, or a launch about to get it. */
    record Started(Process process, OutputPump stdout, OutputPump stderr, ClassDataSharing.Launch cds, Writer stdin) {
    }

    /**
     * Launches the JVM of process {@code name}.
     *
     * @param endpoints new endpoints in the node's socket directory: where the child listens for its
     *                  peers and, if it writes the class-data archive, where it rehearses first
     * @throws IOException when the JVM cannot be started (no java executable, fork failed)
     */
    Launched launch(String name, ProcessOptions options, Supplier<Endpoint> endpoints) throws IOException {
        Endpoint listen = endpoints.get();
        Endpoint rehearsal = endpoints.get(); // taken before the JVM exists: nothing can fail between its start and its bootstrap
        Started started = start(name, options, null, classPath(options).value());
        // the archive holds what its writer loaded: with a rehearsal, the runtime's start and messages
        // whatever the writer then does (one that only started left out a reply's classes, and a pool
        // worker's were missing from an actor's archive: every later child loaded them from the jars)
        return handOver(started, name, listen, started.cds().writes() != null ? rehearsal : null);
    }

    /**
     * Launches a spare (see {@link SparePool}): a JVM with default process options, labelled
     * {@code label} until it gets a process, that rehearses its start at {@code rehearseAt}, listens
     * for peers at {@code listen} and connects to the node as {@code label}, proving {@code secret}
     * (its own, as a launched child's); {@code onWarm} runs once it is warm. {@code beforePreamble}
     * gets the JVM before it is told any of that.
     */
    Started startSpare(String label, Endpoint rehearseAt, Endpoint listen, Credentials secret, Runnable onWarm,
                       java.util.function.Consumer<Started> beforePreamble) throws IOException {
        Started started = start(label, ProcessOptions.defaults(), onWarm, node.childClassPath().forSystem().value());
        try {
            beforePreamble.accept(started); // the node must know its pid before it can connect
            SpareWarmup.writePreamble(started.stdin(), rehearseAt, bootstrap(label, listen, secret, null));
            // stdin stays open: the spare halts when it closes, i.e. when this JVM dies
        } catch (IOException | RuntimeException | Error e) {
            started.process().destroyForcibly();
            throw e;
        }
        return started;
    }

    /**
     * What makes two launches the same JVM (command line, class path included, and environment): a
     * spare serves a process whose key equals the spare's.
     */
    Object compatibilityKey(ProcessOptions options) {
        String classPath = classPath(options).value();
        return List.of(command("spare", node.settings(), options, new ClassDataSharing.Launch(List.of(), null),
                shortcuts(classPath, options), classPath), new java.util.TreeMap<>(options.environment()));
    }

    // the archive is of the system's class path: a JVM with another one could not map it
    private ClassDataSharing.Launch cdsFor(String classPath, boolean mayWrite) {
        return classPath.equals(node.childClassPath().forSystem().value())
                ? node.classDataSharing().options(mayWrite) : new ClassDataSharing.Launch(List.of(), null);
    }

    private Started start(String label, ProcessOptions options, Runnable onWarm, String classPath) throws IOException {
        Settings s = node.settings();
        // a spare may never get a process, and only ChildHandle.exited publishes an archive: a process's own JVM
        // writes it; and one without JVM options of its own: an archive written under another GC, say, or
        // without compressed oops (-Xmx above 32g) is refused by every other child, until a jar changes
        ClassDataSharing.Launch cds = cdsFor(classPath, onWarm == null && options.jvmOptions().isEmpty());
        ProcessBuilder pb = new ProcessBuilder(command(label, s, options, cds, shortcuts(classPath, options), classPath));
        pb.environment().putAll(options.environment());
        Process process;
        try {
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            if (cds.writes() != null) {
                node.classDataSharing().abandoned(cds.writes()); // no JVM will write it: release the lock
            }
            throw e;
        }
        OutputPump stdout = new OutputPump(process.getInputStream(), label, process.pid(), false, s.stderrTailLines());
        OutputPump stderr = new OutputPump(process.getErrorStream(), label, process.pid(), true, s.stderrTailLines());
        if (onWarm != null) {
            stdout.onWarm(onWarm);
        }
        if (cds.writes() != null) {
            stdout.quiet(cds.writes().toString());
            stderr.quiet(cds.writes().toString());
        }
        stdout.start();
        stderr.start();
        // the archive it writes at exit is published by ChildHandle.exited, before its exit is reported
        return new Started(process, stdout, stderr, cds, new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    /** Gives {@code started} its process: its bootstrap, with this launch's own secret. */
    private Launched handOver(Started started, String name, Endpoint listen, Endpoint rehearseAt) {
        // this launch's own secret: only this JVM, which reads it on stdin, can prove it, and only once
        Credentials secret = Credentials.random();
        try {
            bootstrap(name, listen, secret, rehearseAt).writeTo(started.stdin());
            // stdin stays open: the child halts when it closes, i.e. when this JVM dies
        } catch (IOException e) {
            log.warn("Could not hand the bootstrap to process [{}]: {}", name, e.toString());
        } catch (RuntimeException | Error e) {
            // nothing knows this JVM yet: it would wait for its bootstrap as long as this node lives
            started.process().destroyForcibly();
            if (started.cds().writes() != null) {
                node.classDataSharing().abandoned(started.cds().writes()); // it will write no archive: release the lock
            }
            throw e;
        }
        return new Launched(started.process(), started.stdout(), started.stderr(), started.cds(), secret);
    }

    /**
     * A spare (started with {@code secret}) becomes process {@code name}'s JVM: its output is
     * logged under that name. The process itself is given on its connection ({@code Adopt}).
     */
    Launched adopt(Started spare, String name, Credentials secret) {
        spare.stdout().rename(name);
        spare.stderr().rename(name);
        return new Launched(spare.process(), spare.stdout(), spare.stderr(), spare.cds(), secret);
    }

    private ChildBootstrap bootstrap(String name, Endpoint listen, Credentials secret, Endpoint rehearseAt) {
        return new ChildBootstrap(name, node.systemName(), node.endpoint(), listen, secret, node.peerCredentials(),
                node.sharedMemorySystemId(), node.core().pid(), node.settings().childProperties(), rehearseAt);
    }

    private List<String> shortcuts(String classPath, ProcessOptions options) {
        return node.startupShortcuts().jvmOptions(classPath, options, node.settings().jvmOptions());
    }

    static List<String> command(String name, Settings s, ProcessOptions options, ClassDataSharing.Launch cds,
                                List<String> shortcuts, String classPath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(JdkFlags.quietWhenIdle()); // first: the configured options may override them
        cmd.addAll(JdkFlags.trimNativeHeap());
        cmd.addAll(shortcuts); // before the configured options too, so that a user's own property wins
        cmd.addAll(s.jvmOptions());
        cmd.addAll(options.jvmOptions());
        cmd.addAll(cds.jvmOptions());
        cmd.addAll(childLogging(name, s.jvmOptions(), options.jvmOptions()));
        cmd.add("-Dio.netty.jfr.enabled=false"); // Netty's JFR probe costs a child ~100 classes at start
        cmd.addAll(JdkFlags.forThisJdk());
        cmd.add("-cp");
        cmd.add(classPath); // see ChildClassPath: not java.class.path, which may name only a launcher
        cmd.add(ChildMain.class.getName());
        return cmd;
    }

    /**
     * The child logs through the node's SLF4J backend (see {@link ChildLoggerProvider}) unless the
     * user chose a backend for it with {@code -Dslf4j.provider} or a Logback configuration file.
     */
    private static List<String> childLogging(String name, List<String> configured, List<String> perProcess) {
        boolean own = java.util.stream.Stream.concat(configured.stream(), perProcess.stream())
                .anyMatch(o -> o.startsWith("-Dslf4j.provider=") || o.startsWith("-Dlogback.configurationFile="));
        return own ? List.of("-D" + ChildLoggerProvider.CHILD_PROPERTY + "=" + name)
                : ChildLoggerProvider.jvmOptions(name, org.slf4j.LoggerFactory.getLogger(OutputPump.LOGGER));
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
