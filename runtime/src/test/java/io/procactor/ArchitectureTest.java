package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Source rules: only the transport module talks to Netty and Kryo, and every public type of the
 * API package is documented. Paths are relative to the runtime module's directory (surefire's
 * working directory).
 */
class ArchitectureTest {
    private static final Path RUNTIME_MAIN = Path.of("src/main/java");
    private static final Path SAMPLES_MAIN = Path.of("../samples/src/main/java");
    private static final Path API_PACKAGE = RUNTIME_MAIN.resolve("io/procactor");
    private static final Path INTERNAL = RUNTIME_MAIN.resolve("io/procactor/internal");
    private static final List<Path> SAMPLES_SOURCES = List.of(SAMPLES_MAIN, Path.of("../samples/src/test/java"));
    /** The public testkit: a library of its own, so public API only, like the samples. */
    private static final List<Path> TESTKIT_SOURCES = List.of(Path.of("../testkit/src/main/java"), Path.of("../testkit/src/test/java"));

    /** Which internal packages each internal package may import; the drawing is in internal/package-info.java. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "wire", Set.of(),
            "config", Set.of(),
            "core", Set.of("wire", "config"),
            "child", Set.of("core", "wire", "config"),
            "node", Set.of("child", "cluster", "core", "wire", "config"),
            "pool", Set.of("node", "cluster", "core", "wire", "config"),
            "topology", Set.of("pool", "node", "cluster", "core", "wire", "config"),
            "channels", Set.of("core", "wire", "config"),
            "cluster", Set.of("core", "wire", "config"));
    private static final Pattern INTERNAL_REFERENCE = Pattern.compile("\\bio\\.procactor\\.internal\\.(\\w+)\\.");

    private static final Pattern FORBIDDEN_IMPORT =
            Pattern.compile("^\\s*import\\s+(?:static\\s+)?(io\\.netty|com\\.esotericsoftware)\\.", Pattern.MULTILINE);
    private static final Pattern PUBLIC_TOP_LEVEL_TYPE = Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)",
            Pattern.MULTILINE);

    @Test
    void runtimeSourcesDoNotImportNettyOrKryo() {
        assertThat(RUNTIME_MAIN).as("run from the runtime module directory").isDirectory();
        assertThat(forbiddenImports(RUNTIME_MAIN)).isEmpty();
    }

    @Test
    void sampleSourcesDoNotImportNettyOrKryo() {
        assumeTrue(Files.isDirectory(SAMPLES_MAIN), "no samples sources at " + SAMPLES_MAIN.toAbsolutePath());
        assertThat(forbiddenImports(SAMPLES_MAIN)).isEmpty();
    }

    @Test
    void internalPackagesDependOnEachOtherOnlyAsDrawn() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(INTERNAL)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String pkg = dir.getFileName().toString();
                assertThat(ALLOWED).as("internal package [" + pkg + "] has no dependency rule; add one here and in "
                        + "internal/package-info.java").containsKey(pkg);
                for (String used : internalReferences(dir)) {
                    String[] parts = used.split(" -> ");
                    if (!parts[1].equals(pkg) && !ALLOWED.get(pkg).contains(parts[1])) {
                        violations.add(pkg + ": " + used);
                    }
                }
            }
        }
        assertThat(violations).as("imports against the dependency direction").isEmpty();
    }

    @Test
    void samplesAndTheCliUseOnlyThePublicApi() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path root : SAMPLES_SOURCES) {
            assumeTrue(Files.isDirectory(root), "no samples sources at " + root.toAbsolutePath());
            violations.addAll(internalReferences(root));
        }
        assertThat(violations).as("samples, CLI and their tests must use io.procactor only").isEmpty();
    }

    @Test
    void theTestkitUsesOnlyThePublicApi() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path root : TESTKIT_SOURCES) {
            assumeTrue(Files.isDirectory(root), "no testkit sources at " + root.toAbsolutePath());
            violations.addAll(internalReferences(root));
            violations.addAll(forbiddenImports(root));
        }
        assertThat(violations).as("the testkit must use io.procactor only").isEmpty();
    }

    /** procactor-cluster implements the Coordinator SPI: of the runtime's internals it sees that package alone. */
    @Test
    void theClusterModuleUsesOnlyTheCoordinatorSpiAndThePublicApi() throws IOException {
        Path cluster = Path.of("../cluster/src/main/java");
        assumeTrue(Files.isDirectory(cluster), "no cluster sources at " + cluster.toAbsolutePath());
        List<String> violations = new ArrayList<>(internalReferences(cluster));
        violations.removeIf(v -> v.endsWith(" -> cluster"));
        assertThat(violations).as("procactor-cluster may use io.procactor and io.procactor.internal.cluster only").isEmpty();
    }

    @Test
    void theDependencyRuleRecognisesInternalReferences() {
        Matcher m = INTERNAL_REFERENCE.matcher("import io.procactor.internal.node.NodeRuntime;");
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo("node");
        assertThat(INTERNAL_REFERENCE.matcher("import io.procactor.transport.Connection;").find()).isFalse();
    }

    /** Every {@code io.procactor.internal.X.} reference under {@code root}, as "file -> X". */
    private static List<String> internalReferences(Path root) throws IOException {
        List<String> refs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = INTERNAL_REFERENCE.matcher(Files.readString(f));
                Set<String> seen = new java.util.TreeSet<>();
                while (m.find()) {
                    seen.add(m.group(1));
                }
                seen.forEach(p -> refs.add(root.relativize(f) + " -> " + p));
            }
        }
        return refs;
    }

    @Test
    void theImportRuleRecognisesForbiddenImports() {
        assertThat(FORBIDDEN_IMPORT.matcher("package x;\nimport io.netty.channel.Channel;\n").find()).isTrue();
        assertThat(FORBIDDEN_IMPORT.matcher("import static com.esotericsoftware.kryo.Kryo.X;").find()).isTrue();
        assertThat(FORBIDDEN_IMPORT.matcher("import io.procactor.transport.Connection;").find()).isFalse();
    }

    @Test
    void everyPublicTopLevelTypeOfTheApiPackageHasJavadoc() throws IOException {
        List<String> undocumented = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.list(API_PACKAGE)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("package-info.java")).sorted().toList()) {
                String src = Files.readString(f);
                Matcher m = PUBLIC_TOP_LEVEL_TYPE.matcher(src);
                if (!m.find()) {
                    continue;
                }
                checked++;
                if (!hasJavadocBefore(src, m.start())) {
                    undocumented.add(f.getFileName() + " (" + m.group(1) + ")");
                }
            }
        }
        assertThat(checked).as("public types found in " + API_PACKAGE.toAbsolutePath()).isGreaterThan(10);
        assertThat(undocumented).as("public types of io.procactor without a javadoc comment").isEmpty();
    }

    @Test
    void theJavadocRuleRecognisesMissingComments() {
        assertThat(documented("package a;\n\n/** Doc. */\n@Deprecated\npublic class X {}")).isTrue();
        assertThat(documented("package a;\n\n/**\n * Doc.\n */\npublic final class X {}")).isTrue();
        assertThat(documented("package a;\n\n/* Not javadoc. */\npublic class X {}")).isFalse();
        assertThat(documented("package a;\nimport b.C;\n\npublic class X {}")).isFalse();
        assertThat(documented("/** File comment. */\npackage a;\n\npublic class X {}")).isFalse();
    }

    private static boolean documented(String src) {
        Matcher m = PUBLIC_TOP_LEVEL_TYPE.matcher(src);
        assertThat(m.find()).isTrue();
        return hasJavadocBefore(src, m.start());
    }

    /** Whether the text before {@code declStart}, skipping blank lines and annotations, ends with a javadoc comment. */
    static boolean hasJavadocBefore(String src, int declStart) {
        String before = src.substring(0, declStart);
        String[] lines = before.split("\n", -1);
        int i = lines.length - 1;
        while (i >= 0 && (lines[i].isBlank() || lines[i].trim().startsWith("@"))) {
            i--;
        }
        if (i < 0 || !lines[i].trim().endsWith("*/")) {
            return false;
        }
        String upToEnd = String.join("\n", java.util.Arrays.copyOf(lines, i + 1));
        int open = upToEnd.lastIndexOf("/*");
        return open >= 0 && upToEnd.startsWith("/**", open);
    }

    private static List<String> forbiddenImports(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().flatMap(f -> {
                String src;
                try {
                    src = Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                List<String> hits = new ArrayList<>();
                Matcher m = FORBIDDEN_IMPORT.matcher(src);
                while (m.find()) {
                    int end = src.indexOf('\n', m.start());
                    hits.add(root.relativize(f) + ": " + src.substring(m.start(), end < 0 ? src.length() : end).trim());
                }
                return hits.stream();
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
