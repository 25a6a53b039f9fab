package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.procactor.classpath.ColdChildNode;
import io.procactor.classpath.IsolatedBoot;
import io.procactor.classpath.ReplyingNode;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children start whatever launched the node: a node whose classes live in a class loader of its own
 * ({@code mvn exec:java} and the like), a node in a fat jar, and an explicit class path, right or
 * wrong (then the error shows the class path the child got and what to set).
 */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class ChildClassPathLaunchTest {
    private static final String CLASS_PATH = System.getProperty("java.class.path");

    @TempDir
    Path tmp;

    @Test
    void aNodeLoadedByAnIsolatedUrlClassLoaderStartsChildrenThatReply() throws Exception {
        // the JVM's class path is one directory holding the launcher alone: nothing of procactor
        Path boot = Files.createDirectory(tmp.resolve("boot"));
        copyClassFile(IsolatedBoot.class, boot);

        Run r = runJava(List.of("-cp", boot.toString(), IsolatedBoot.class.getName(), CLASS_PATH, ReplyingNode.class.getName()));

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("NODE CLASS PATH " + boot + "\n").contains("REPLY 42");
        assertThat(r.output).doesNotContain("Could not find or load main class");
    }

    @Test
    void aNodeRunFromAFatJarStartsChildrenThatReply() throws Exception {
        Path fat = tmp.resolve("app-all.jar");
        fatJar(fat, ReplyingNode.class.getName());

        Run r = runJava(List.of("-jar", fat.toString()));

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("NODE CLASS PATH " + fat + "\n").contains("REPLY 42");
    }

    @Test
    void anExplicitClassPathIsHonouredAndAWrongOneFailsShowingItAndTheKeyToSet() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        try (ActorSystem system = ActorSystem.create("explicit-cp")) {
            ActorProcess right = system.spawnProcess(Props.create(TestActors.Doubler.class), "right",
                    ProcessOptions.defaults().classPath(CLASS_PATH));
            assertThat(right.ref().ask(21, Timeouts.seconds(60)).get(60, TimeUnit.SECONDS)).isEqualTo(42);

            ActorProcess wrong = system.spawnProcess(Props.create(TestActors.Doubler.class), "wrong",
                    ProcessOptions.defaults().classPath(empty.toString()));
            ExitStatus status = wrong.onExit().get(Timeouts.seconds(60).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(status.reason()).isEqualTo(ExitStatus.Reason.STARTUP_FAILED);
            assertThat(status.detail()).contains("a class was missing from the child's class path [" + empty + "]")
                    .contains("(ProcessOptions.classPath)").contains("ProcessOptions.classPath(...)")
                    .contains("procactor.child.class-path");
            assertThat(String.join("\n", status.stderrTail())).contains("Could not find or load main class");
        }
    }

    @Test
    void aConfiguredClassPathWithoutTheActorsClassesFailsItsStartNamingTheClassPathAndTheKey() throws Exception {
        // the runtime and its libraries, but not the test classes that hold the actor
        List<String> runtimeOnly = Stream.of(CLASS_PATH.split(File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes")).toList();
        var config = ConfigFactory.empty().withValue("procactor.child.class-path", ConfigValueFactory.fromIterable(runtimeOnly));
        try (ActorSystem system = ActorSystem.create("configured-cp", config)) {
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "no-actor");
            assertThatThrownBy(() -> p.ready().get(Timeouts.seconds(60).toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("ClassNotFoundException")
                    .hasMessageContaining("a class was missing from the child's class path [" + runtimeOnly.get(0))
                    .hasMessageContaining("(procactor.child.class-path)")
                    .hasMessageContaining("entries in all)");
            p.onExit().get(Timeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A cold child that maps its class path's archive loads every class from it: a class the
     * archive lacks is looked up by opening the class path's jars in order (10-15 ms of the child's
     * start, and their directories in its memory). Netty took one of two paths by timing, and the
     * class of the other was missing. A class a child loads by chance may show once: a second cold
     * child must then load none (the race of the build before failed 2 of 3 runs under load). Nor
     * may it generate a proxy class: the JVM makes one for each annotation type it reads (Netty's
     * {@code @Skip} and {@code @Sharable}, and {@code @CallerSensitive} for a JDK method Kryo's record
     * serializer calls by reflection), 10-15 ms of a cold start in all; nor a lambda class the
     * archive left out. The first child, which writes the archive, only starts and stops: what a
     * message needs must come from its rehearsal (see {@code SpareWarmup.rehearseForArchive}).
     */
    @Test
    void aColdChildMappingItsClassPathsArchiveLoadsNoClassFromAJarAndGeneratesNone() throws Exception {
        Path log = tmp.resolve("cold-child-classes.log");
        Run r = runJava(List.of("-Djava.io.tmpdir=" + tmp, "-cp", CLASS_PATH, ColdChildNode.class.getName(),
                jarsOnly(Files.createDirectory(tmp.resolve("jars"))), log.toString(),
                String.valueOf(Timeouts.seconds(60).toMillis())));

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).as("the cold child maps the archive the first child wrote").contains("MAPPED ");
        assertThat(r.output).as("classes the cold children loaded from a jar or generated as proxies")
                .contains("NO CLASS FROM A JAR, NO PROXY OR LAMBDA CLASS");
    }

    // ---- helpers ----

    /** The class path with each directory made a jar in {@code dir} (class-data sharing takes jars only). */
    private static String jarsOnly(Path dir) throws IOException {
        List<String> jars = new ArrayList<>();
        for (String e : CLASS_PATH.split(File.pathSeparator)) {
            Path entry = Path.of(e);
            if (!Files.isDirectory(entry)) {
                jars.add(e);
                continue;
            }
            Path jar = dir.resolve(jars.size() + "-" + entry.getFileName() + ".jar");
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                 Stream<Path> files = Files.walk(entry)) {
                out.setLevel(Deflater.BEST_SPEED);
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    out.putNextEntry(new JarEntry(entry.relativize(f).toString().replace(File.separatorChar, '/')));
                    Files.copy(f, out);
                }
            }
            jars.add(jar.toString());
        }
        return String.join(File.pathSeparator, jars);
    }

    private record Run(int exit, String output) {
    }

    /** Runs {@code java args...} to its end (killing it and its children after the timeout), output and errors together. */
    private static Run runJava(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dprocactor.test.node=true");
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(ProcactorConfig.jvmFlagsForThisJdk());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the process is gone
            }
        }, "node-output");
        drain.start();
        Duration timeout = Timeouts.seconds(120);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                drain.join(10_000);
                throw new AssertionError("node did not finish within " + timeout + ":\n" + out.toString(StandardCharsets.UTF_8));
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        drain.join(10_000);
        return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    private static void copyClassFile(Class<?> c, Path root) throws IOException {
        String file = c.getName().replace('.', '/') + ".class";
        Files.createDirectories(root.resolve(file).getParent());
        try (InputStream in = c.getClassLoader().getResourceAsStream(file)) {
            Files.copy(in, root.resolve(file));
        }
    }

    /** The libraries a node needs, not the test framework's. */
    private static boolean needed(Path entry) {
        String n = entry.getFileName().toString();
        // under `mvn verify` the reactor gives procactor's own modules as jars, under `mvn test` as directories
        return Files.isDirectory(entry) || Stream.of("procactor-", "netty-", "kryo", "minlog", "reflectasm", "objenesis", "config-",
                "slf4j-", "logback-", "agrona-").anyMatch(n::startsWith);
    }

    /**
     * One jar holding the classes of the runtime, its libraries and the tests, as a shade or
     * assembly plugin builds it: first copy of an entry wins, service files are concatenated,
     * signatures and the libraries' manifests are left out.
     */
    private static void fatJar(Path jar, String mainClass) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        Map<String, ByteArrayOutputStream> services = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, m)) {
            out.setLevel(Deflater.BEST_SPEED);
            for (String e : CLASS_PATH.split(File.pathSeparator)) {
                Path entry = Path.of(e);
                if (!Files.exists(entry) || !needed(entry)) {
                    continue;
                }
                if (Files.isDirectory(entry)) {
                    try (Stream<Path> files = Files.walk(entry)) {
                        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                            try (InputStream in = Files.newInputStream(f)) {
                                add(out, entry.relativize(f).toString().replace(File.separatorChar, '/'), in, seen, services);
                            }
                        }
                    }
                } else {
                    try (JarFile j = new JarFile(entry.toFile())) {
                        Enumeration<JarEntry> all = j.entries();
                        while (all.hasMoreElements()) {
                            JarEntry je = all.nextElement();
                            if (!je.isDirectory()) {
                                try (InputStream in = j.getInputStream(je)) {
                                    add(out, je.getName(), in, seen, services);
                                }
                            }
                        }
                    }
                }
            }
            for (Map.Entry<String, ByteArrayOutputStream> s : services.entrySet()) {
                out.putNextEntry(new JarEntry(s.getKey()));
                out.write(s.getValue().toByteArray());
            }
        }
    }

    private static void add(JarOutputStream out, String name, InputStream in, Set<String> seen,
                            Map<String, ByteArrayOutputStream> services) throws IOException {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        if (upper.equals("META-INF/MANIFEST.MF") || upper.startsWith("META-INF/") && (upper.endsWith(".SF")
                || upper.endsWith(".RSA") || upper.endsWith(".DSA"))) {
            return;
        }
        if (name.startsWith("META-INF/services/")) {
            ByteArrayOutputStream b = services.computeIfAbsent(name, k -> new ByteArrayOutputStream());
            in.transferTo(b);
            b.write('\n');
            return;
        }
        if (seen.add(name)) {
            out.putNextEntry(new JarEntry(name));
            in.transferTo(out);
        }
    }
}
