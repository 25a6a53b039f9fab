package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
