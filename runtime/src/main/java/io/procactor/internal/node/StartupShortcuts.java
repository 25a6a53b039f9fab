package io.procactor.internal.node;

import io.procactor.ProcessOptions;
import io.procactor.transport.NativeLibrary;
import java.io.File;
import java.io.IOException;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * JVM options that spare each child JVM start-up work whose answer the node already knows. Both
 * avoid a scan of every jar on the child's class path, which grows with the application:
 *
 * <ul>
 *   <li>the selector provider by name ({@code -Djava.nio.channels.spi.SelectorProvider}, the JDK's
 *       documented property): without it, the first selector of a JVM looks for providers with a
 *       {@link java.util.ServiceLoader}, which opens every jar. Given only when the node's own is the
 *       JDK's and was not named by a property, i.e. no jar of the class path provides one;</li>
 *   <li>Netty's epoll library from the node's copy ({@link NativeLibraryCopies}) first on
 *       {@code java.library.path}: without it, Netty looks the library up in every jar (to warn of
 *       duplicates) and copies it into a new temporary file in every child. The path goes on with
 *       what the child would have had: its {@code LD_LIBRARY_PATH}, then the JDK's default path.</li>
 * </ul>
 *
 * Measured with a 45-jar class path (docs/benchmarks.md): a cold child's main thread 150 to 120 ms
 * of CPU, all its threads 335 to 270 ms; 10 cold children at once 1.75 to 1.55 s. Only for children
 * on the system's class path (another may hold other jars). Both options come before the configured
 * JVM options, so a user's own property wins; and no library path is given when the user sets one
 * for the child, or set one for the node (the JDK's default path is then unknown here).
 *
 * <p>Thread-safe: immutable but for the copies, which are thread-safe.
 */
final class StartupShortcuts {
    static final String LIBRARY_PATH = "-Djava.library.path=";
    static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";
    /** Environment variables whose JVM options a child's JVM reads too. */
    private static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private final String systemClassPath;
    private final List<String> selectorProvider;
    private final NativeLibraryCopies copies;
    private final Map<String, String> nodeEnvironment;
    private final String jdkLibraryPath; // null: unknown, no library path

    StartupShortcuts(String systemClassPath, List<String> selectorProvider, NativeLibraryCopies copies,
                     Map<String, String> nodeEnvironment, String jdkLibraryPath) {
        this.systemClassPath = systemClassPath;
        this.selectorProvider = List.copyOf(selectorProvider);
        this.copies = copies;
        this.nodeEnvironment = Map.copyOf(nodeEnvironment);
        this.jdkLibraryPath = jdkLibraryPath;
    }

    /** For the node's children: this JVM's provider, epoll library, command line and environment. */
    static StartupShortcuts forSystem(String systemClassPath) {
        Map<String, String> env = System.getenv();
        return new StartupShortcuts(systemClassPath,
                selectorProvider(SelectorProvider.provider(), System.getProperty(SELECTOR_PROVIDER)),
                new NativeLibraryCopies(PrivateFiles.userTempDirectory(), systemClassPath, NativeLibrary::ofEpoll), env,
                jdkLibraryPath(System.getProperty("java.library.path", ""), ProcessHandle.current().info().arguments(), env));
    }

    /** The options for a child on {@code classPath} with {@code options}, whose configured JVM options are {@code configured}. */
    List<String> jvmOptions(String classPath, ProcessOptions options, List<String> configured) {
        if (!classPath.equals(systemClassPath)) {
            return List.of(); // another class path may hold a provider, or another Netty whose library would not match
        }
        List<String> opts = new ArrayList<>(selectorProvider);
        libraryPath(options, configured).ifPresent(opts::add);
        return opts;
    }

    /**
     * The option naming {@code provider}, the node's, if a child would find the same one by its own
     * scan: the JDK's (a class of java.base), not named by the property {@code named} (a choice of
     * the node's, not its children's).
     */
    static List<String> selectorProvider(SelectorProvider provider, String named) {
        return named == null && provider.getClass().getModule() == Object.class.getModule()
                ? List.of("-D" + SELECTOR_PROVIDER + "=" + provider.getClass().getName()) : List.of();
    }

    private Optional<String> libraryPath(ProcessOptions options, List<String> configured) {
        if (jdkLibraryPath == null || setsLibraryPath(options, configured)) {
            return Optional.empty();
        }
        return copies.directory().map(dir -> {
            String ld = options.environment().containsKey("LD_LIBRARY_PATH") ? options.environment().get("LD_LIBRARY_PATH")
                    : nodeEnvironment.get("LD_LIBRARY_PATH");
            return LIBRARY_PATH + Stream.of(dir.toString(), ld, jdkLibraryPath)
                    .filter(p -> p != null && !p.isEmpty()).collect(Collectors.joining(File.pathSeparator));
        });
    }

    private boolean setsLibraryPath(ProcessOptions options, List<String> configured) {
        if (Stream.concat(configured.stream(), options.jvmOptions().stream()).anyMatch(o -> o.startsWith(LIBRARY_PATH))) {
            return true;
        }
        return OPTION_VARIABLES.stream().map(v -> options.environment().containsKey(v) ? options.environment().get(v) : nodeEnvironment.get(v))
                .anyMatch(StartupShortcuts::mentionsLibraryPath);
    }

    // "@file" (the launcher's argument files, which IDEs use for long class paths): true unless it is readable and silent on it
    private static boolean argumentFileMayName(String argument) {
        if (!argument.startsWith("@")) {
            return false;
        }
        try {
            return mentionsLibraryPath(Files.readString(Path.of(argument.substring(1))));
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static boolean mentionsLibraryPath(String options) {
        return options != null && options.contains("java.library.path");
    }

    /**
     * The JDK's default library path: what the node's JVM computed ({@code nodeLibraryPath}), less
     * the {@code LD_LIBRARY_PATH} its launcher put in front (a child puts its own there); null when
     * the node's value may not be the default: set on its command line ({@code arguments}, the
     * argument files it names included) or in an options variable, or unknown.
     */
    static String jdkLibraryPath(String nodeLibraryPath, Optional<String[]> arguments, Map<String, String> nodeEnvironment) {
        if (arguments.isEmpty() || Stream.of(arguments.get()).anyMatch(a -> a.startsWith(LIBRARY_PATH) || argumentFileMayName(a))
                || OPTION_VARIABLES.stream().map(nodeEnvironment::get).anyMatch(StartupShortcuts::mentionsLibraryPath)) {
            return null;
        }
        String ld = nodeEnvironment.get("LD_LIBRARY_PATH");
        if (ld == null || ld.isEmpty()) {
            return nodeLibraryPath;
        }
        return nodeLibraryPath.startsWith(ld + File.pathSeparator) ? nodeLibraryPath.substring(ld.length() + 1) : null;
    }
}
