package io.procactor;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one child JVM is started and kept: its extra JVM options (after
 * {@code procactor.process.jvm-options}), extra environment variables, and its
 * {@link RestartPolicy}. Immutable and thread-safe.
 *
 * <pre>{@code
 * ProcessOptions.defaults().jvmOptions("-Xmx256m").restart(RestartPolicy.permanent())
 * }</pre>
 */
public record ProcessOptions(List<String> jvmOptions, Map<String, String> environment, RestartPolicy restart) {
    public ProcessOptions {
        jvmOptions = List.copyOf(jvmOptions);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(restart, "restart");
        for (String o : jvmOptions) {
            if (!o.startsWith("-")) {
                throw new IllegalArgumentException("JVM option [" + o + "] does not start with '-'; pass options such as -Xmx256m "
                        + "or -Dkey=value (the main class and class path are set by procactor)");
            }
        }
    }

    /** No extra options or environment; never restarted. */
    public static ProcessOptions defaults() {
        return new ProcessOptions(List.of(), Map.of(), RestartPolicy.temporary());
    }

    public ProcessOptions jvmOptions(String... options) {
        return new ProcessOptions(List.of(options), environment, restart);
    }

    public ProcessOptions environment(Map<String, String> env) {
        return new ProcessOptions(jvmOptions, env, restart);
    }

    public ProcessOptions restart(RestartPolicy policy) {
        return new ProcessOptions(jvmOptions, environment, policy);
    }
}
