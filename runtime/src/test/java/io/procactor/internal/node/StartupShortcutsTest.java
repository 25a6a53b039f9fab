package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.ProcessOptions;
import io.procactor.transport.NativeLibrary;
import java.net.URL;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options that spare a child start-up work; that a real child uses them is checked in SmokeTest. */
class StartupShortcutsTest {
    private static final byte[] LIBRARY = "not really ELF, but bytes to copy".getBytes(StandardCharsets.UTF_8);
    private static final String JDK_PATH = "/usr/java/packages/lib:/usr/lib";

    @TempDir
    Path tmp;
    private Path jar;
    private Path cache;
    private NativeLibrary library;

    @BeforeEach
    void packageALibraryInAJar() throws Exception {
        jar = tmp.resolve("netty-native.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/native/libfake.so"));
            out.write(LIBRARY);
        }
        library = new NativeLibrary("libfake.so", new URL("jar:" + jar.toUri() + "!/META-INF/native/libfake.so"));
        cache = tmp.resolve("procactor-me");
    }

    private StartupShortcuts shortcuts(Map<String, String> env) {
        return new StartupShortcuts(jar + ":" + tmp.resolve("other.jar"), () -> Optional.of(library), cache, env, JDK_PATH);
    }

    private static Optional<String> libraryPath(List<String> options) {
        return options.stream().filter(o -> o.startsWith("-Djava.library.path=")).findFirst()
                .map(o -> o.substring("-Djava.library.path=".length()));
    }

    @Test
    void theJdksSelectorProviderIsNamedAndAnotherIsLeftToTheChildsOwnLookUp() {
        assertThat(StartupShortcuts.selectorProvider(SelectorProvider.provider()))
                .containsExactly("-Djava.nio.channels.spi.SelectorProvider=" + SelectorProvider.provider().getClass().getName());
        SelectorProvider fromAJar = new SelectorProvider() {
            @Override public java.nio.channels.DatagramChannel openDatagramChannel() { return null; }
            @Override public java.nio.channels.DatagramChannel openDatagramChannel(java.net.ProtocolFamily f) { return null; }
            @Override public java.nio.channels.Pipe openPipe() { return null; }
            @Override public java.nio.channels.spi.AbstractSelector openSelector() { return null; }
            @Override public java.nio.channels.ServerSocketChannel openServerSocketChannel() { return null; }
            @Override public java.nio.channels.SocketChannel openSocketChannel() { return null; }
        };
        assertThat(StartupShortcuts.selectorProvider(fromAJar)).as("a provider from a jar is found again by the child's scan").isEmpty();
    }

    @Test
    void theLibraryIsCopiedOnceIntoAPrivateDirectoryPutFirstOnTheChildsLibraryPath() throws Exception {
        List<String> opts = shortcuts(Map.of("LD_LIBRARY_PATH", "/opt/ld")).jvmOptions(jar + ":" + tmp.resolve("other.jar"),
                ProcessOptions.defaults(), List.of());
        String path = libraryPath(opts).orElseThrow();
        String[] parts = path.split(":");
        Path dir = Path.of(parts[0]);
        assertThat(dir.getParent()).isEqualTo(cache.resolve("native"));
        assertThat(Files.readAllBytes(dir.resolve("libfake.so"))).isEqualTo(LIBRARY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("libfake.so")))).isEqualTo("rw-------");
        for (Path d : List.of(cache, cache.resolve("native"), dir)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString()).isEqualTo("rwx------");
        }
        assertThat(path).as("then what the child would have had: its LD_LIBRARY_PATH, the JDK's default")
                .isEqualTo(dir + ":/opt/ld:" + JDK_PATH);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(dir.resolve("libfake.so"));
        }
    }

    @Test
    void aProcesssOwnLdLibraryPathReplacesTheNodes() {
        ProcessOptions own = ProcessOptions.defaults().environment(Map.of("LD_LIBRARY_PATH", "/opt/mine"));
        String path = libraryPath(shortcuts(Map.of("LD_LIBRARY_PATH", "/opt/node")).jvmOptions(jar + ":" + tmp.resolve("other.jar"),
                own, List.of())).orElseThrow();
        assertThat(path).endsWith(":/opt/mine:" + JDK_PATH).doesNotContain("/opt/node");
    }

    @Test
    void theJdksDefaultPathIsTheNodesLessTheLdLibraryPathItsLauncherPutFirst() {
        assertThat(StartupShortcuts.jdkLibraryPath("/opt/ld:/usr/lib", "/opt/ld")).isEqualTo("/usr/lib");
        assertThat(StartupShortcuts.jdkLibraryPath("/usr/lib", null)).isEqualTo("/usr/lib");
        assertThat(StartupShortcuts.jdkLibraryPath("/set/by/hand", "/opt/ld")).isEqualTo("/set/by/hand");
    }

    @Test
    void aCopyThatDiffersFromTheJarsIsReplaced() throws Exception {
        String classPath = jar + ":" + tmp.resolve("other.jar");
        Path dir = Path.of(libraryPath(shortcuts(Map.of()).jvmOptions(classPath, ProcessOptions.defaults(), List.of()))
                .orElseThrow().split(":")[0]);
        Files.writeString(dir.resolve("libfake.so"), "tampered");
        Path again = Path.of(libraryPath(shortcuts(Map.of()).jvmOptions(classPath, ProcessOptions.defaults(), List.of()))
                .orElseThrow().split(":")[0]);
        assertThat(again).isEqualTo(dir);
        assertThat(Files.readAllBytes(dir.resolve("libfake.so"))).isEqualTo(LIBRARY);
    }

    @Test
    void noLibraryPathWhenTheUserSetsOneOrTheChildHasAnotherClassPathOrTheLibraryIsNotOnIt() throws Exception {
        String classPath = jar + ":" + tmp.resolve("other.jar");
        StartupShortcuts s = shortcuts(Map.of());
        assertThat(libraryPath(s.jvmOptions(classPath, ProcessOptions.defaults(), List.of("-Djava.library.path=/mine")))).isEmpty();
        assertThat(libraryPath(s.jvmOptions(classPath, ProcessOptions.defaults().jvmOptions("-Djava.library.path=/mine"),
                List.of()))).isEmpty();
        assertThat(libraryPath(s.jvmOptions(classPath, ProcessOptions.defaults()
                .environment(Map.of("JAVA_TOOL_OPTIONS", "-Djava.library.path=/mine")), List.of()))).isEmpty();
        assertThat(libraryPath(shortcuts(Map.of("JDK_JAVA_OPTIONS", "-Djava.library.path=/mine"))
                .jvmOptions(classPath, ProcessOptions.defaults(), List.of()))).isEmpty();
        assertThat(libraryPath(s.jvmOptions(tmp.resolve("another.jar").toString(), ProcessOptions.defaults(), List.of())))
                .as("another class path may hold another Netty").isEmpty();
        StartupShortcuts notOnIt = new StartupShortcuts(tmp.resolve("other.jar").toString(), () -> Optional.of(library), cache,
                Map.of(), JDK_PATH);
        assertThat(libraryPath(notOnIt.jvmOptions(tmp.resolve("other.jar").toString(), ProcessOptions.defaults(), List.of())))
                .as("a library from outside the children's class path might not match their Netty").isEmpty();
        assertThat(cache).doesNotExist();
    }

    @Test
    void aCacheDirectoryOpenToOthersIsRefusedAndTheChildExtractsItsOwnCopy() throws Exception {
        Files.createDirectory(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path shared = Files.createDirectory(cache.resolve("native"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(libraryPath(shortcuts(Map.of()).jvmOptions(jar + ":" + tmp.resolve("other.jar"), ProcessOptions.defaults(),
                List.of()))).isEmpty();
        try (Stream<Path> files = Files.list(shared)) {
            assertThat(files).as("nothing written into it").isEmpty();
        }
    }

    @Test
    void copiesOfOtherLibrariesUnusedForAWeekAreRemovedAndTheNodesOwnIsMarkedUsed() throws Exception {
        Path natives = PrivateFiles.directory(PrivateFiles.directory(cache, "fix").resolve("native"), "fix");
        Path old = copyAged(natives.resolve("aaaaaaaaaaaaaaaaaaaaaaaa"), Duration.ofDays(8));
        Path recent = copyAged(natives.resolve("bbbbbbbbbbbbbbbbbbbbbbbb"), Duration.ofDays(6));
        Path foreign = copyAged(natives.resolve("not-ours"), Duration.ofDays(30));
        Path target = copyAged(tmp.resolve("elsewhere"), Duration.ofDays(30));
        Path link = Files.createSymbolicLink(natives.resolve("cccccccccccccccccccccccc"), target);
        Path mine = copyAged(natives.resolve("dddddddddddddddddddddddd"), Duration.ofDays(30));

        StartupShortcuts.prune(mine);

        assertThat(old).as("unused for 8 days").doesNotExist();
        assertThat(recent.resolve("libfake.so")).as("used 6 days ago").exists();
        assertThat(foreign.resolve("libfake.so")).as("a name the node does not write").exists();
        assertThat(link).as("a link is neither followed nor removed").exists();
        assertThat(target.resolve("libfake.so")).exists();
        assertThat(Files.getLastModifiedTime(mine).toMillis()).as("the node's own, marked used now")
                .isGreaterThan(System.currentTimeMillis() - Duration.ofDays(1).toMillis());
    }

    private static Path copyAged(Path dir, Duration age) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve("libfake.so"), LIBRARY);
        Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis() - age.toMillis()));
        return dir;
    }

    @Test
    void withoutALibraryOnlyTheSelectorProviderIsGiven() {
        StartupShortcuts none = new StartupShortcuts("a.jar", Optional::empty, cache, Map.of(), JDK_PATH);
        assertThat(none.jvmOptions("a.jar", ProcessOptions.defaults(), List.of()))
                .allMatch(o -> o.startsWith("-Djava.nio.channels.spi.SelectorProvider="));
    }
}
