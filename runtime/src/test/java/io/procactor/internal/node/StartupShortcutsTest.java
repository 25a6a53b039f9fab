package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.ProcessOptions;
import io.procactor.transport.NativeLibrary;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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

/**
 * The options that spare a child start-up work, and the node's copy of the native library; that a
 * real child uses them is checked in SmokeTest.
 */
class StartupShortcutsTest {
    private static final byte[] LIBRARY = "not really ELF, but bytes to copy".getBytes(StandardCharsets.UTF_8);
    private static final String JDK_PATH = "/usr/java/packages/lib:/usr/lib";
    private static final List<String> SELECTOR = List.of("-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.Some");

    @TempDir
    Path tmp;
    private Path cache;
    private String classPath;

    @BeforeEach
    void packageALibraryInAJar() throws Exception {
        Path other = jarWith(tmp.resolve("other.jar"), "META-INF/other.txt", new byte[] {1});
        Path netty = jarWith(tmp.resolve("netty-native.jar"), "META-INF/native/libfake.so", LIBRARY);
        Path later = jarWith(tmp.resolve("later.jar"), "META-INF/native/libfake.so", "another".getBytes(StandardCharsets.UTF_8));
        classPath = other + ":" + netty + ":" + later;
        cache = tmp.resolve("procactor-me");
    }

    private static Path jarWith(Path jar, String entry, byte[] content) throws Exception {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(entry));
            out.write(content);
        }
        return jar;
    }

    private NativeLibraryCopies copies(String onClassPath) {
        return new NativeLibraryCopies(cache, onClassPath, () -> Optional.of(new NativeLibrary("libfake.so")));
    }

    private StartupShortcuts shortcuts(Map<String, String> env) {
        return new StartupShortcuts(classPath, SELECTOR, copies(classPath), env, JDK_PATH);
    }

    private static Optional<String> libraryPath(List<String> options) {
        return options.stream().filter(o -> o.startsWith(StartupShortcuts.LIBRARY_PATH)).findFirst()
                .map(o -> o.substring(StartupShortcuts.LIBRARY_PATH.length()));
    }

    private Path directoryOf(List<String> options) {
        return Path.of(libraryPath(options).orElseThrow().split(":")[0]);
    }

    @Test
    void theJdksSelectorProviderIsNamedUnlessTheNodeNamedOneOrItComesFromAJar() {
        SelectorProvider jdks = SelectorProvider.provider();
        assertThat(StartupShortcuts.selectorProvider(jdks, null))
                .containsExactly("-Djava.nio.channels.spi.SelectorProvider=" + jdks.getClass().getName());
        assertThat(StartupShortcuts.selectorProvider(jdks, "sun.nio.ch.PollSelectorProvider"))
                .as("the node's own choice, not its children's").isEmpty();
        SelectorProvider fromAJar = new SelectorProvider() {
            @Override public java.nio.channels.DatagramChannel openDatagramChannel() { return null; }
            @Override public java.nio.channels.DatagramChannel openDatagramChannel(java.net.ProtocolFamily f) { return null; }
            @Override public java.nio.channels.Pipe openPipe() { return null; }
            @Override public java.nio.channels.spi.AbstractSelector openSelector() { return null; }
            @Override public java.nio.channels.ServerSocketChannel openServerSocketChannel() { return null; }
            @Override public java.nio.channels.SocketChannel openSocketChannel() { return null; }
        };
        assertThat(StartupShortcuts.selectorProvider(fromAJar, null)).as("a provider from a jar: the child's scan finds it").isEmpty();
    }

    @Test
    void theFirstCopyOnTheClassPathIsCopiedOnceIntoAPrivateDirectoryPutFirstOnTheChildsLibraryPath() throws Exception {
        List<String> opts = shortcuts(Map.of("LD_LIBRARY_PATH", "/opt/ld")).jvmOptions(classPath, ProcessOptions.defaults(), List.of());
        assertThat(opts).startsWith(SELECTOR.get(0));
        Path dir = directoryOf(opts);
        assertThat(dir.getParent()).isEqualTo(cache.resolve("native"));
        Path file = dir.resolve("libfake.so");
        assertThat(Files.readAllBytes(file)).as("the first jar's, as a child's Netty would extract").isEqualTo(LIBRARY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        for (Path d : List.of(cache, cache.resolve("native"), dir)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString()).isEqualTo("rwx------");
        }
        assertThat(libraryPath(opts)).as("then what the child would have had: its LD_LIBRARY_PATH, the JDK's default")
                .contains(dir + ":/opt/ld:" + JDK_PATH);
        Object inode = Files.readAttributes(file, BasicFileAttributes.class).fileKey();

        assertThat(directoryOf(shortcuts(Map.of()).jvmOptions(classPath, ProcessOptions.defaults(), List.of()))).isEqualTo(dir);
        assertThat(Files.readAttributes(file, BasicFileAttributes.class).fileKey()).as("not written again").isEqualTo(inode);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void aProcesssOwnLdLibraryPathReplacesTheNodes() {
        ProcessOptions own = ProcessOptions.defaults().environment(Map.of("LD_LIBRARY_PATH", "/opt/mine"));
        assertThat(libraryPath(shortcuts(Map.of("LD_LIBRARY_PATH", "/opt/node")).jvmOptions(classPath, own, List.of())))
                .hasValueSatisfying(p -> assertThat(p).endsWith(":/opt/mine:" + JDK_PATH).doesNotContain("/opt/node"));
    }

    @Test
    void theJdksDefaultPathIsTheNodesLessItsLdLibraryPathAndUnknownWhenTheNodeSetItself() throws Exception {
        Optional<String[]> plain = Optional.of(new String[] {"-Xmx1g", "-cp", "a.jar", "Main"});
        assertThat(StartupShortcuts.jdkLibraryPath("/opt/ld:/usr/lib", plain, Map.of("LD_LIBRARY_PATH", "/opt/ld"))).isEqualTo("/usr/lib");
        assertThat(StartupShortcuts.jdkLibraryPath("/usr/lib", plain, Map.of())).isEqualTo("/usr/lib");
        assertThat(StartupShortcuts.jdkLibraryPath("/set/by/hand", Optional.of(new String[] {"-Djava.library.path=/set/by/hand", "Main"}),
                Map.of())).as("set on the node's command line").isNull();
        Path silent = Files.writeString(tmp.resolve("silent"), "-cp a.jar:b.jar");
        Path setting = Files.writeString(tmp.resolve("setting"), "-cp a.jar\n-Djava.library.path=/x");
        assertThat(StartupShortcuts.jdkLibraryPath("/usr/lib", Optional.of(new String[] {"@" + silent, "Main"}), Map.of()))
                .as("an argument file that does not set it").isEqualTo("/usr/lib");
        assertThat(StartupShortcuts.jdkLibraryPath("/x", Optional.of(new String[] {"@" + setting, "Main"}), Map.of()))
                .as("an argument file that sets it").isNull();
        assertThat(StartupShortcuts.jdkLibraryPath("/x", Optional.of(new String[] {"@" + tmp.resolve("gone"), "Main"}), Map.of()))
                .as("one that cannot be read").isNull();
        assertThat(StartupShortcuts.jdkLibraryPath("/x", plain, Map.of("JAVA_TOOL_OPTIONS", "-Djava.library.path=/x"))).isNull();
        assertThat(StartupShortcuts.jdkLibraryPath("/set/by/hand", plain, Map.of("LD_LIBRARY_PATH", "/opt/ld")))
                .as("not what the launcher makes of LD_LIBRARY_PATH").isNull();
        assertThat(StartupShortcuts.jdkLibraryPath("/usr/lib", Optional.empty(), Map.of())).as("command line unknown").isNull();
        StartupShortcuts unknown = new StartupShortcuts(classPath, SELECTOR, copies(classPath), Map.of(), null);
        assertThat(unknown.jvmOptions(classPath, ProcessOptions.defaults(), List.of())).containsExactlyElementsOf(SELECTOR);
    }

    @Test
    void aCopyThatDiffersOrWasRemovedIsWrittenAgainAtTheNextLaunch() throws Exception {
        StartupShortcuts s = shortcuts(Map.of());
        Path dir = directoryOf(s.jvmOptions(classPath, ProcessOptions.defaults(), List.of()));
        Files.writeString(dir.resolve("libfake.so"), "tampered");
        assertThat(directoryOf(s.jvmOptions(classPath, ProcessOptions.defaults(), List.of()))).isEqualTo(dir);
        assertThat(Files.readAllBytes(dir.resolve("libfake.so"))).isEqualTo(LIBRARY);
        Files.delete(dir.resolve("libfake.so"));
        Files.delete(dir);
        assertThat(directoryOf(s.jvmOptions(classPath, ProcessOptions.defaults(), List.of()))).isEqualTo(dir);
        assertThat(Files.readAllBytes(dir.resolve("libfake.so"))).isEqualTo(LIBRARY);
    }

    @Test
    void aDirectoryMadeAgainBySomeoneElseIsRefusedAtTheNextLaunch() throws Exception {
        StartupShortcuts s = shortcuts(Map.of());
        Path dir = directoryOf(s.jvmOptions(classPath, ProcessOptions.defaults(), List.of()));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // as if another user made it
        assertThat(libraryPath(s.jvmOptions(classPath, ProcessOptions.defaults(), List.of()))).isEmpty();
    }

    @Test
    void aLinkInPlaceOfTheCopyIsRefusedAndNotFollowed() throws Exception {
        StartupShortcuts s = shortcuts(Map.of());
        Path dir = directoryOf(s.jvmOptions(classPath, ProcessOptions.defaults(), List.of()));
        Path planted = Files.write(tmp.resolve("planted.so"), "evil".getBytes(StandardCharsets.UTF_8));
        Files.delete(dir.resolve("libfake.so"));
        Files.createSymbolicLink(dir.resolve("libfake.so"), planted);
        assertThat(libraryPath(s.jvmOptions(classPath, ProcessOptions.defaults(), List.of()))).isEmpty();
        assertThat(Files.readString(planted)).as("left as it was").isEqualTo("evil");
    }

    @Test
    void noShortcutForAnotherClassPathAndNoLibraryPathWhenTheUserSetsOne() throws Exception {
        StartupShortcuts s = shortcuts(Map.of());
        assertThat(s.jvmOptions(tmp.resolve("another.jar").toString(), ProcessOptions.defaults(), List.of()))
                .as("another class path may hold a provider, or another Netty").isEmpty();
        assertThat(libraryPath(s.jvmOptions(classPath, ProcessOptions.defaults(), List.of("-Djava.library.path=/mine")))).isEmpty();
        assertThat(libraryPath(s.jvmOptions(classPath, ProcessOptions.defaults().jvmOptions("-Djava.library.path=/mine"),
                List.of()))).isEmpty();
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            assertThat(libraryPath(s.jvmOptions(classPath, ProcessOptions.defaults()
                    .environment(Map.of(variable, "-Djava.library.path=/mine")), List.of()))).as(variable).isEmpty();
            assertThat(libraryPath(shortcuts(Map.of(variable, "-Djava.library.path=/mine"))
                    .jvmOptions(classPath, ProcessOptions.defaults(), List.of()))).as("the node's " + variable).isEmpty();
        }
        assertThat(cache).as("nothing copied for any of them").doesNotExist();
    }

    @Test
    void noLibraryPathWhenTheChildrensClassPathDoesNotHoldTheLibraryOrFindingItFails() {
        String without = tmp.resolve("other.jar").toString();
        assertThat(new StartupShortcuts(without, List.of(), copies(without), Map.of(), JDK_PATH)
                .jvmOptions(without, ProcessOptions.defaults(), List.of())).isEmpty();
        NativeLibraryCopies failing = new NativeLibraryCopies(cache, classPath, () -> {
            throw new NoClassDefFoundError("io/netty/channel/epoll/Epoll");
        });
        StartupShortcuts s = new StartupShortcuts(classPath, List.of(), failing, Map.of(), JDK_PATH);
        assertThat(s.jvmOptions(classPath, ProcessOptions.defaults(), List.of())).as("a start as before").isEmpty();
        assertThat(s.jvmOptions(classPath, ProcessOptions.defaults(), List.of())).as("and the same at every launch").isEmpty();
        assertThat(cache).doesNotExist();
    }

    @Test
    void aCacheDirectoryOpenToOthersIsRefusedAndNothingIsWrittenIntoIt() throws Exception {
        Files.createDirectory(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path shared = Files.createDirectory(cache.resolve("native"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(libraryPath(shortcuts(Map.of()).jvmOptions(classPath, ProcessOptions.defaults(), List.of()))).isEmpty();
        try (Stream<Path> files = Files.list(shared)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void copiesOfOtherLibrariesUnusedForAWeekAndOldTemporariesAreRemoved() throws Exception {
        Path natives = PrivateFiles.directory(PrivateFiles.directory(cache, "fix").resolve("native"), "fix");
        Path old = copyAged(natives.resolve("aaaaaaaaaaaaaaaaaaaaaaaa"), Duration.ofDays(8));
        Path recent = copyAged(natives.resolve("bbbbbbbbbbbbbbbbbbbbbbbb"), Duration.ofDays(6));
        Path foreign = copyAged(natives.resolve("not-ours"), Duration.ofDays(30));
        Path target = copyAged(tmp.resolve("elsewhere"), Duration.ofDays(30));
        Path link = Files.createSymbolicLink(natives.resolve("cccccccccccccccccccccccc"), target);
        Path mine = copyAged(natives.resolve("dddddddddddddddddddddddd"), Duration.ofDays(30));
        Path oldTemp = aged(Files.write(mine.resolve("libfake.so123.tmp"), LIBRARY), Duration.ofDays(2));
        Path newTemp = aged(Files.write(mine.resolve("libfake.so456.tmp"), LIBRARY), Duration.ofHours(1));

        NativeLibraryCopies.prune(mine);

        assertThat(old).as("unused for 8 days").doesNotExist();
        assertThat(recent.resolve("libfake.so")).as("used 6 days ago").exists();
        assertThat(foreign.resolve("libfake.so")).as("a name the node does not write").exists();
        assertThat(link).as("a link is neither followed nor removed").exists();
        assertThat(target.resolve("libfake.so")).exists();
        assertThat(mine.resolve("libfake.so")).exists();
        assertThat(oldTemp).as("left by a node killed while writing, 2 days ago").doesNotExist();
        assertThat(newTemp).as("maybe a node writing now").exists();
    }

    @Test
    void aLaunchMarksItsCopyUsed() throws Exception {
        StartupShortcuts s = shortcuts(Map.of());
        Path dir = directoryOf(s.jvmOptions(classPath, ProcessOptions.defaults(), List.of()));
        aged(dir, Duration.ofDays(30));
        s.jvmOptions(classPath, ProcessOptions.defaults(), List.of());
        assertThat(Files.getLastModifiedTime(dir).toMillis()).isGreaterThan(System.currentTimeMillis() - Duration.ofDays(1).toMillis());
    }

    private static Path copyAged(Path dir, Duration age) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve("libfake.so"), LIBRARY);
        return aged(dir, age);
    }

    private static Path aged(Path p, Duration age) throws Exception {
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - age.toMillis()));
        return p;
    }
}
