package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.ProcessOptions;
import io.procactor.internal.child.ChildMain;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a child's class path comes from, in one JVM: code sources, loader chains, nested jars, explicit settings. */
class ChildClassPathTest {
    @TempDir
    Path tmp;

    private NestedJars nested() {
        return new NestedJars(tmp.resolve("private").resolve("class-path"));
    }

    @Test
    void theRuntimesOwnJarsComeFirstThenTheContextLoadersUrlsThenJavaClassPathOnceEachAndOnlyIfTheyExist() throws Exception {
        Path userDir = Files.createDirectory(tmp.resolve("user-classes"));
        Path missing = tmp.resolve("gone.jar");
        try (URLClassLoader context = new URLClassLoader(new URL[] {userDir.toUri().toURL(), missing.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            String runtime = location(ChildMain.class);
            Set<Path> found = new ChildClassPath.Finder(nested()).found(ChildClassPathTest.class.getClassLoader(), context,
                    runtime + File.pathSeparator + userDir + File.pathSeparator + missing);

            List<Path> list = new ArrayList<>(found);
            assertThat(list.get(0)).isEqualTo(Path.of(runtime)); // ChildMain's code source
            assertThat(list).contains(Path.of(location(com.esotericsoftware.kryo.Kryo.class)),
                    Path.of(location(io.netty.channel.Channel.class)), Path.of(location(com.typesafe.config.Config.class)),
                    Path.of(location(org.slf4j.Logger.class)), userDir);
            // a Netty jar without classes (the native library) is found through its versions file
            assertThat(list).anyMatch(p -> p.getFileName().toString().startsWith("netty-transport-native-epoll"));
            assertThat(list).doesNotContain(missing).doesNotHaveDuplicates();
            assertThat(list.indexOf(userDir)).isGreaterThan(list.indexOf(Path.of(location(org.slf4j.Logger.class))));
        }
    }

    @Test
    void aJarNestedInAJarIsCopiedOnceToThePrivateCacheAndThatCopyIsUsed() throws Exception {
        byte[] inner = jarBytes(Map.of("com/acme/A.class", "a"));
        Path outer = tmp.resolve("app.jar");
        writeJar(outer, Map.of("BOOT-INF/lib/inner.jar", inner, "BOOT-INF/classes/com/acme/App.class", "app".getBytes()));

        ChildClassPath.Finder f = new ChildClassPath.Finder(nested());
        f.add("jar:" + outer.toUri() + "!/BOOT-INF/lib/inner.jar!/");        // Spring Boot 2
        f.add("jar:nested:" + outer + "/!BOOT-INF/lib/inner.jar!/");         // Spring Boot 3.2
        f.add("jar:" + outer.toUri() + "!/BOOT-INF/classes!/");              // a directory inside the jar
        List<Path> list = new ArrayList<>(f.ofClass(Object.class));          // (a JDK class adds nothing)

        assertThat(list).hasSize(2);
        Path copy = list.get(0);
        assertThat(copy.getParent()).isEqualTo(tmp.resolve("private").resolve("class-path"));
        assertThat(copy.getFileName().toString()).endsWith("-inner.jar");
        assertThat(Files.readAllBytes(copy)).isEqualTo(inner);
        assertThat(Files.readString(list.get(1).resolve("com/acme/App.class"))).isEqualTo("app");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.getParent()))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(copy.getParent())) {
            assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
        // a second search uses the same copy
        ChildClassPath.Finder again = new ChildClassPath.Finder(nested());
        again.add("jar:" + outer.toUri() + "!/BOOT-INF/lib/inner.jar!/");
        assertThat(again.ofClass(Object.class)).containsExactly(copy);
    }

    @Test
    void anExplicitClassPathIsTakenExactlyAndAnActorFromElsewhereAddsItsJar() throws Exception {
        ChildClassPath found = ChildClassPath.create(List.of(), nested());
        assertThat(found.forSystem().source()).isEqualTo("found by procactor");
        assertThat(found.forSystem().value()).contains(location(ChildMain.class));

        ProcessOptions own = ProcessOptions.defaults().classPath("a.jar" + File.pathSeparator + "b");
        assertThat(found.forProcess(own, null)).isEqualTo(new ChildClassPath.Chosen(
                Path.of("a.jar").toAbsolutePath() + File.pathSeparator + Path.of("b").toAbsolutePath(), "ProcessOptions.classPath"));

        // a class from a directory the system's class path lacks (as an actor of a topology's class-path)
        Path dir = Files.createDirectory(tmp.resolve("actors"));
        String file = Marker.class.getName().replace('.', '/') + ".class";
        Files.createDirectories(dir.resolve(file).getParent());
        try (var in = Marker.class.getClassLoader().getResourceAsStream(file)) {
            Files.copy(in, dir.resolve(file));
        }
        try (URLClassLoader elsewhere = new URLClassLoader(new URL[] {dir.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> marker = Class.forName(Marker.class.getName(), false, elsewhere);
            ChildClassPath.Chosen withIt = found.forProcess(ProcessOptions.defaults(), marker);
            assertThat(withIt.value()).isEqualTo(found.forSystem().value() + File.pathSeparator + dir);
            assertThat(found.forProcess(ProcessOptions.defaults(), marker)).isSameAs(withIt); // once per class
        }
        assertThat(found.forProcess(ProcessOptions.defaults(), ChildClassPathTest.class)).isSameAs(found.forSystem());

        ChildClassPath configured = ChildClassPath.create(List.of(Path.of("x.jar")), nested());
        assertThat(configured.forSystem().source()).isEqualTo("procactor.child.class-path");
        assertThat(configured.forProcess(ProcessOptions.defaults(), ChildClassPathTest.class).value())
                .isEqualTo(Path.of("x.jar").toAbsolutePath().toString());
    }

    @Test
    void aLongClassPathIsShownByItsFirstEntriesAndCount() {
        String sep = File.pathSeparator;
        assertThat(ChildClassPath.describe("a.jar" + sep + "b")).isEqualTo("[a.jar" + sep + "b]");
        String longOne = String.join(sep, Stream.iterate(1, i -> i + 1).limit(40).map(i -> "/lib/j" + i + ".jar").toList());
        assertThat(ChildClassPath.describe(longOne)).startsWith("[/lib/j1.jar" + sep + "/lib/j2.jar")
                .endsWith("/lib/j6.jar" + sep + "... (40 entries in all)]");
    }

    @Test
    void aMissingClassIsExplainedWithTheClassPathAndTheKeysToSet() {
        ChildClassPath.Chosen cp = new ChildClassPath.Chosen("/x/a.jar", "found by procactor");
        assertThat(MissingClassErrors.explain(Stream.of("Error: Could not find or load main class io.procactor.internal.child.ChildMain",
                "Caused by: java.lang.ClassNotFoundException: io.procactor.internal.child.ChildMain"), cp))
                .hasValue("a class was missing from the child's class path [/x/a.jar] (found by procactor); " + ChildClassPath.FIX);
        assertThat(ChildClassPath.FIX).contains("ProcessOptions.classPath(...)", "procactor.child.class-path", "--class-path",
                "class-path = [...]");
        assertThat(MissingClassErrors.explain(Stream.of("Invalid maximum heap size: -Xmx10GB", null), cp)).isEmpty();
    }

    /** Refers to JDK classes only: loadable from a copy of its class file alone. */
    public static final class Marker {
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static byte[] jarBytes(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return b.toByteArray();
    }

    private static void writeJar(Path jar, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
            }
        }
    }
}
