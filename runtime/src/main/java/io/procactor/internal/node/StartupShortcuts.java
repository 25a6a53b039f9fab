package io.procactor.internal.node;

import io.procactor.ProcessOptions;
import io.procactor.transport.NativeLibrary;
import java.io.File;
import java.io.IOException;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JVM options that spare each child JVM start-up work whose answer the node already knows. Both
 * avoid a scan of every jar on the child's class path, which grows with the application:
 *
 * <ul>
 *   <li>the selector provider by name ({@code -Djava.nio.channels.spi.SelectorProvider}, the JDK's
 *       documented property): without it, the first selector of a JVM looks for providers with a
 *       {@link java.util.ServiceLoader}, which opens every jar. Given only when the node's own is the
 *       JDK's, i.e. no jar of the class path provides one;</li>
 *   <li>Netty's epoll library from a private directory on {@code java.library.path}: without it,
 *       Netty looks the library up in every jar (to warn of duplicates) and copies it into a new
 *       temporary file in every child. The node copies it once into {@code
 *       ${java.io.tmpdir}/procactor-<user>/native/<hash of its bytes>/}, checked like every file the
 *       node trusts ({@link PrivateFiles}): it is code the children run. Copies of other libraries
 *       (another Netty's) that no node started with for a week are removed then.</li>
 * </ul>
 *
 * Measured with a 45-jar class path (docs/benchmarks.md): a cold child's main thread 150 to 120 ms
 * of CPU, all its threads 335 to 270 ms, first reply 25-40 ms sooner. Both options come before the
 * configured JVM options, so a user's own {@code -Djava.library.path} or provider wins; the
 * library path keeps what the child would have had (its {@code LD_LIBRARY_PATH}, then the JDK's
 * default path) after the directory.
 *
 * <p>Thread-safe: the library is copied at most once, under this object's lock; the rest is immutable.
 */
final class StartupShortcuts {
    private static final Logger log = LoggerFactory.getLogger(StartupShortcuts.class);
    private static final String FIX = "Remove it (or have its owner remove it); children then start without this shortcut";
    private static final String LIBRARY_PATH = "-Djava.library.path=";
    /** Environment variables whose JVM options a child's JVM reads too. */
    private static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private final List<String> selectorProvider;
    private final String systemClassPath;
    private final Supplier<Optional<NativeLibrary>> findLibrary; // asked at the first launch: it may load the library here
    private final Path cacheRoot;
    private final Map<String, String> nodeEnvironment;
    private final String jdkLibraryPath;
    private Optional<Path> libraryDirectory; // null until first asked, under the lock

    StartupShortcuts(String systemClassPath, Supplier<Optional<NativeLibrary>> findLibrary, Path cacheRoot, Map<String, String> nodeEnvironment,
                     String nodeLibraryPath) {
        this.selectorProvider = selectorProvider(SelectorProvider.provider());
        this.systemClassPath = systemClassPath;
        this.findLibrary = findLibrary;
        this.cacheRoot = cacheRoot;
        this.nodeEnvironment = Map.copyOf(nodeEnvironment);
        this.jdkLibraryPath = jdkLibraryPath(nodeLibraryPath, nodeEnvironment.get("LD_LIBRARY_PATH"));
    }

    /** For the node's children: this JVM's provider, epoll library, temp directory and environment. */
    static StartupShortcuts forSystem(String systemClassPath) {
        return new StartupShortcuts(systemClassPath, NativeLibrary::ofEpoll, PrivateFiles.userTempDirectory(), System.getenv(),
                System.getProperty("java.library.path", ""));
    }

    /** The options for a child on {@code classPath} with {@code options}, whose configured JVM options are {@code configured}. */
    List<String> jvmOptions(String classPath, ProcessOptions options, List<String> configured) {
        List<String> opts = new ArrayList<>(selectorProvider);
        libraryPath(classPath, options, configured).ifPresent(opts::add);
        return opts;
    }

    static List<String> selectorProvider(SelectorProvider provider) {
        // the JDK's own (java.base) is what a child finds too when no jar names another: a class
        // of the class path would have to be found by the same ServiceLoader scan
        return provider.getClass().getModule() == Object.class.getModule()
                ? List.of("-Djava.nio.channels.spi.SelectorProvider=" + provider.getClass().getName()) : List.of();
    }

    private Optional<String> libraryPath(String classPath, ProcessOptions options, List<String> configured) {
        if (!classPath.equals(systemClassPath) || setsLibraryPath(options, configured)) {
            return Optional.empty(); // another class path may hold another Netty, whose library would not match its classes
        }
        return libraryDirectory().map(dir -> {
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
                .anyMatch(v -> v != null && v.contains("java.library.path"));
    }

    /**
     * The JDK's default library path: what the node's JVM computed, less the {@code LD_LIBRARY_PATH}
     * the launcher put in front of it (a child puts its own there).
     */
    static String jdkLibraryPath(String nodeLibraryPath, String nodeLdLibraryPath) {
        if (nodeLdLibraryPath != null && !nodeLdLibraryPath.isEmpty() && nodeLibraryPath.startsWith(nodeLdLibraryPath + File.pathSeparator)) {
            return nodeLibraryPath.substring(nodeLdLibraryPath.length() + 1);
        }
        return nodeLibraryPath;
    }

    private synchronized Optional<Path> libraryDirectory() {
        if (libraryDirectory == null) {
            libraryDirectory = findLibrary.get().flatMap(this::copy);
        }
        return libraryDirectory;
    }

    /** The directory holding {@code lib}, copied there if not yet; empty when that fails (the child then extracts it itself). */
    private Optional<Path> copy(NativeLibrary lib) {
        Set<Path> entries = Arrays.stream(systemClassPath.split(File.pathSeparator)).map(e -> Path.of(e).toAbsolutePath().normalize())
                .collect(Collectors.toSet());
        if (lib.jar().map(j -> !entries.contains(j.toAbsolutePath().normalize())).orElse(true)) {
            return Optional.empty(); // not from the children's class path: it might not match their Netty
        }
        try {
            byte[] bytes = lib.read();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
            Path dir = cacheRoot;
            for (Path step : List.of(cacheRoot, cacheRoot.resolve("native"), cacheRoot.resolve("native").resolve(hash))) {
                dir = PrivateFiles.directory(step, FIX); // each level: a directory someone else made first is refused
            }
            place(dir.resolve(lib.fileName()), bytes);
            prune(dir);
            return Optional.of(dir);
        } catch (PrivateFiles.InsecureFileException e) {
            log.warn("Children load Netty's native library from their own copies: {}", e.getMessage());
            return Optional.empty();
        } catch (IOException | NoSuchAlgorithmException | UnsupportedOperationException e) {
            log.debug("Children load Netty's native library from their own copies: {}", e.toString());
            return Optional.empty();
        }
    }

    /** Writes {@code bytes} to {@code file} unless it holds them already. */
    private static void place(Path file, byte[] bytes) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            PrivateFiles.file(file, FIX);
            if (Arrays.equals(Files.readAllBytes(file), bytes)) {
                return;
            }
        }
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(temp, bytes);
            move(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Marks {@code mine} used and removes, best effort, the copies of other libraries (another
     * Netty's) that no node has started with for as long as an unused class-data-sharing archive
     * is kept. A node still running with one removed has its next children extract their own.
     */
    static void prune(Path mine) {
        long now = System.currentTimeMillis();
        try {
            Files.setLastModifiedTime(mine, FileTime.fromMillis(now));
            String me = PrivateFiles.currentUser().getName();
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(mine.getParent())) {
                for (Path d : dirs) {
                    if (!d.equals(mine) && d.getFileName().toString().matches("[0-9a-f]{24}") && unused(d, me, now)) {
                        removeCopy(d);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Could not prune the copies of native libraries next to {}: {}", mine, e.toString());
        }
    }

    private static boolean unused(Path dir, String me, long now) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return a.isDirectory() && a.owner().getName().equals(me)
                && a.lastModifiedTime().toMillis() < now - ClassDataSharing.UNUSED_ARCHIVE_AGE.toMillis();
    }

    // only what place() writes (a library, a temporary), never through a link; then the directory, if that emptied it
    private static void removeCopy(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if ((n.endsWith(".so") || n.endsWith(".tmp")) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
            log.debug("Removed {}: a copy of a native library no node has started with for {} days", dir,
                    ClassDataSharing.UNUSED_ARCHIVE_AGE.toDays());
        } catch (IOException e) {
            log.debug("Could not remove {}: {}", dir, e.toString());
        }
    }

    // the same bytes whoever wins a race between nodes; a child never sees a half-written file
    private static void move(Path temp, Path file) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
