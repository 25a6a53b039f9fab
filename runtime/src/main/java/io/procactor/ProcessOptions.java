package io.procactor;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one child JVM is started and kept: its extra JVM options (after
 * {@code procactor.process.jvm-options}), extra environment variables, its
 * {@link RestartPolicy}, and, rarely needed, its class path. Immutable and thread-safe.
 *
 * <pre>{@code
 * ProcessOptions.defaults().jvmOptions("-Xmx256m").restart(RestartPolicy.permanent())
 * }</pre>
 *
 * @param classPath the child's class path, jars and directories in order; empty (the default) = the
 *                  one procactor finds: {@code procactor.child.class-path} if set, else where the
 *                  runtime's and the actor's classes were loaded from (see docs/configuration.md)
 * @param placement where the JVM runs: {@link Placement#local()} (the default) or a host agent of the cluster
 */
public record ProcessOptions(List<String> jvmOptions, Map<String, String> environment, RestartPolicy restart,
                             List<Path> classPath, Placement placement) {
    public ProcessOptions {
        Objects.requireNonNull(placement, "placement; use Placement.local() for this host");
        jvmOptions = List.copyOf(jvmOptions);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(restart, "restart");
        classPath = List.copyOf(classPath);
        for (String o : jvmOptions) {
            if (!o.startsWith("-")) {
                throw new IllegalArgumentException("JVM option [" + o + "] does not start with '-'; pass options such as -Xmx256m "
                        + "or -Dkey=value (the main class is set by procactor, the class path with classPath(...))");
            }
            if (o.equals("-cp") || o.equals("-classpath") || o.equals("--class-path") || o.startsWith("--class-path=")) {
                throw new IllegalArgumentException("JVM option [" + o + "] sets the class path, which procactor passes itself; "
                        + "use ProcessOptions.classPath(...) or procactor.child.class-path instead");
            }
        }
    }

    /** Options placed on this host ({@link Placement#local()}). */
    public ProcessOptions(List<String> jvmOptions, Map<String, String> environment, RestartPolicy restart,
                          List<Path> classPath) {
        this(jvmOptions, environment, restart, classPath, Placement.local());
    }

    /** Extra JVM options, environment and restart policy; the class path procactor finds. */
    public ProcessOptions(List<String> jvmOptions, Map<String, String> environment, RestartPolicy restart) {
        this(jvmOptions, environment, restart, List.of());
    }

    /** No extra options or environment; never restarted; the class path procactor finds. */
    public static ProcessOptions defaults() {
        return new ProcessOptions(List.of(), Map.of(), RestartPolicy.temporary(), List.of(), Placement.local());
    }

    public ProcessOptions jvmOptions(String... options) {
        return new ProcessOptions(List.of(options), environment, restart, classPath, placement);
    }

    public ProcessOptions environment(Map<String, String> env) {
        return new ProcessOptions(jvmOptions, env, restart, classPath, placement);
    }

    public ProcessOptions restart(RestartPolicy policy) {
        return new ProcessOptions(jvmOptions, environment, policy, classPath, placement);
    }

    /**
     * The child's class path exactly: these jars and directories, in order, instead of the one
     * procactor finds. Each string is one entry or several joined with the OS path separator
     * ({@code :} on Unix), as for {@code java -cp}. The runtime's own jars (procactor, Netty, Kryo,
     * SLF4J, Typesafe Config) must be among them. No entries = the class path procactor finds.
     *
     * @throws IllegalArgumentException when an entry is blank
     */
    public ProcessOptions classPath(String... entries) {
        List<Path> paths = new ArrayList<>();
        for (String s : entries) {
            Objects.requireNonNull(s, "class path entry");
            for (String e : s.split(java.util.regex.Pattern.quote(File.pathSeparator), -1)) {
                if (e.isBlank()) {
                    throw new IllegalArgumentException("class path entry [" + s + "] is blank or has an empty part; give jars "
                            + "or directories separated by '" + File.pathSeparator + "'");
                }
                paths.add(Path.of(e));
            }
        }
        return classPath(paths);
    }

    /** The child's class path exactly, as {@link #classPath(String...)}; an empty list = the one procactor finds. */
    public ProcessOptions classPath(List<Path> entries) {
        return new ProcessOptions(jvmOptions, environment, restart, entries, placement);
    }

    /**
     * Where the JVM runs (see {@link Placement}): on a host agent of the cluster instead of this host.
     * On an agent, the agent's class path and TLS files are used ({@link #classPath} is not sent), so
     * the application's jars must be on every agent. Each restart places again.
     */
    public ProcessOptions placement(Placement where) {
        return new ProcessOptions(jvmOptions, environment, restart, classPath, Objects.requireNonNull(where,
                "placement; use Placement.local() for this host"));
    }
}
