package io.procactor.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.samples.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's code and sample list say what the build compiles and runs. */
class ReadmeTest {
    private static final Path HOME = Path.of("").toAbsolutePath().getParent();

    @Test
    void theJavaExampleIsTakenFromTheHelloSample() throws Exception {
        List<String> readme = javaBlock(Files.readString(HOME.resolve("README.md")));
        List<String> source = Files.readAllLines(HOME.resolve("samples/src/main/java/io/procactor/samples/hello/HelloSample.java"))
                .stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("//")).toList();
        // every line of the example appears in the sample, in the same order
        int at = 0;
        for (String line : readme) {
            int found = source.subList(at, source.size()).indexOf(line);
            assertThat(found).as("README line [%s] in HelloSample.java after line %d", line, at).isNotNegative();
            at += found + 1;
        }
        assertThat(readme).hasSizeGreaterThan(10); // the whole example (function, registration, run), not a fragment
    }

    @Test
    void everySampleIsListed() throws Exception {
        String readme = Files.readString(HOME.resolve("README.md"));
        for (var sample : Samples.all()) {
            assertThat(readme).as("README lists sample %s", sample.name()).contains("| `" + sample.name() + "` |");
        }
    }

    @Test
    void theTestingExampleIsTakenFromTestingExampleTest() throws Exception {
        String markdown = Files.readString(HOME.resolve("README.md"));
        int section = markdown.indexOf("## Testing your actors");
        assertThat(section).as("README has a section 'Testing your actors'").isNotNegative();
        List<String> readme = javaBlock(markdown.substring(section));
        String source = Files.readString(HOME.resolve("samples/src/test/java/io/procactor/docs/TestingExampleTest.java"));
        List<String> lines = source.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        int at = 0;
        for (String line : readme) {
            int found = lines.subList(at, lines.size()).indexOf(line);
            assertThat(found).as("README line [%s] in TestingExampleTest.java after line %d", line, at).isNotNegative();
            at += found + 1;
        }
        assertThat(readme).hasSizeGreaterThan(8);
    }

    private static List<String> javaBlock(String markdown) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String l : markdown.lines().toList()) {
            if (l.startsWith("```java")) {
                in = true;
            } else if (in && l.startsWith("```")) {
                break;
            } else if (in && !l.isBlank()) {
                lines.add(l.strip());
            }
        }
        return lines;
    }
}
