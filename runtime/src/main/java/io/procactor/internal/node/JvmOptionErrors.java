package io.procactor.internal.node;

import java.util.List;
import java.util.Optional;

/**
 * Names the JVM option that kept a child's JVM from starting. A JVM that refuses an option says so
 * on its output ({@code Invalid maximum heap size: -Xmx10GB}, {@code Unrecognized VM option
 * 'Foo'}, {@code Unrecognized option: --bad}, then {@code Error: Could not create the Java Virtual
 * Machine.}) and exits 1 before procactor's code runs; this finds which of the options procactor
 * passed the message is about, and says where it was set. Stateless; thread-safe.
 */
final class JvmOptionErrors {
    private static final List<String> JVM_REFUSALS = List.of("Could not create the Java Virtual Machine",
            "Unrecognized VM option", "Unrecognized option", "Invalid ", "Improperly specified VM option",
            "Error: VM option", "Error occurred during initialization of VM");

    private JvmOptionErrors() {
    }

    /**
     * @param output     the last lines of the child's stderr and stdout
     * @param configured {@code procactor.process.jvm-options}
     * @param origin     where those were set (e.g. {@code application.conf: 12}), or null
     * @param ownOptions the process's own options ({@code ProcessOptions.jvmOptions}, a topology entry's {@code jvm-options})
     * @return "the JVM refused option [...] (set in ...): <the JVM's message>", when the output shows
     *         that the JVM refused an option and which
     */
    static Optional<String> explain(List<String> output, List<String> configured, String origin, List<String> ownOptions) {
        List<String> refusals = output.stream().map(String::trim).filter(l -> JVM_REFUSALS.stream().anyMatch(l::contains)).toList();
        if (refusals.isEmpty()) {
            return Optional.empty();
        }
        String message = refusals.stream().filter(l -> !l.contains("Could not create the Java Virtual Machine")).findFirst()
                .orElse(refusals.get(0));
        for (String option : ownOptions) {
            if (mentions(message, option)) {
                return Optional.of("the JVM refused option [" + option + "] (set in the process's own JVM options: "
                        + "ProcessOptions.jvmOptions or its topology entry's jvm-options): " + message);
            }
        }
        for (String option : configured) {
            if (mentions(message, option)) {
                return Optional.of("the JVM refused option [" + option + "] (set in procactor.process.jvm-options"
                        + (origin == null ? "" : ", " + origin) + "): " + message);
            }
        }
        return Optional.of("the JVM refused to start with its options " + ownOptions + " and procactor.process.jvm-options "
                + configured + ": " + message);
    }

    /** Whether the JVM's message is about {@code option} ({@code -XX:+Foo} is reported as 'Foo'). */
    private static boolean mentions(String message, String option) {
        if (message.contains(option)) {
            return true;
        }
        String name = option.replaceFirst("^-XX:[+-]?", "").replaceFirst("=.*$", "");
        return option.startsWith("-XX:") && message.contains("'" + name + "'");
    }
}
