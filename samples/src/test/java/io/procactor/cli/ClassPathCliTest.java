package io.procactor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code procactor run} with actors that live in a jar of the user's, built here from source: given
 * by the topology file's {@code class-path} or by {@code --class-path}, they load in the CLI's JVM
 * and in the children, and so does their message class, registered by name.
 */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class ClassPathCliTest {
    private static final Duration RUN = Timeouts.seconds(180);

    /** Two actors and a message record, in a package nothing else on the class path has. */
    private static final String GREETING = """
            package com.example.greeter;
            public record Greeting(String text, long pid) { }
            """;
    private static final String GREETER = """
            package com.example.greeter;
            import io.procactor.Actor;
            import io.procactor.ActorRef;
            public final class Greeter extends Actor {
                private final ActorRef runner;
                private final ActorRef echo;
                public Greeter(ActorRef runner, ActorRef echo) { this.runner = runner; this.echo = echo; }
                @Override protected void onReceive(Object m) {
                    if ("go".equals(m)) {
                        echo.tell(new Greeting("hello", ProcessHandle.current().pid()), self());
                    } else if (m instanceof Greeting g) {
                        runner.tell("greeter: got " + g.text() + " from another process: " + (g.pid() != ProcessHandle.current().pid()));
                        runner.tell("done");
                    }
                }
            }
            """;
    private static final String ECHO = """
            package com.example.greeter;
            import io.procactor.Actor;
            public final class Echo extends Actor {
                @Override protected void onReceive(Object m) {
                    if (m instanceof Greeting g) {
                        reply(new Greeting(g.text().toUpperCase(), ProcessHandle.current().pid()));
                    }
                }
            }
            """;
    private static final String TOPOLOGY = """
            procactor.serialization.classes = ["com.example.greeter.Greeting"]
            procactor.topology {
              %s
              processes {
                echo { actor = "com.example.greeter.Echo" }
                greeter {
                  actor = "com.example.greeter.Greeter"
                  args = ["ref:topology", "ref:echo"]
                  after = [echo]
                }
              }
              start { to = greeter, message = "go" }
              done { when = message, message = "done" }
            }
            """;

    @TempDir
    static Path tmp;
    static Path jar;

    @BeforeAll
    static void buildTheUsersJar() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/com/example/greeter"));
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        List<Path> sources = List.of(Files.writeString(src.resolve("Greeting.java"), GREETING),
                Files.writeString(src.resolve("Greeter.java"), GREETER), Files.writeString(src.resolve("Echo.java"), ECHO));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Stream<String> args = Stream.concat(Stream.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")),
                sources.stream().map(Path::toString));
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("javac exit code").isZero();
        jar = Files.createDirectories(tmp.resolve("lib")).resolve("greeter.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
            }
        }
    }

    private static Path topology(String name, String classPathLine) throws IOException {
        return Files.writeString(tmp.resolve(name), TOPOLOGY.formatted(classPathLine));
    }

    @Test
    void theTopologysClassPathLoadsTheUsersActorsAndMessagesInTheNodeAndTheChildren() throws IOException {
        Path file = topology("greeter.conf", "class-path = [\"lib/greeter.jar\"]"); // relative to the file

        Cli.Result r = Cli.run(RUN, "run", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines()).as(r.toString()).contains("greeter: got HELLO from another process: true");
        assertThat(r.stderr()).as(r.toString()).doesNotContain(" ERROR ", " WARN ");
    }

    @Test
    void classPathOnTheCommandLineDoesTheSame() throws IOException {
        Path file = topology("greeter-cli.conf", "");

        Cli.Result r = Cli.run(RUN, "run", file.toString(), "--class-path", jar.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines()).as(r.toString()).contains("greeter: got HELLO from another process: true");
        assertThat(r.stderr()).as(r.toString()).doesNotContain(" ERROR ", " WARN ");
    }

    @Test
    void configChecksTheTopologyWithTheClassPathToo() throws IOException {
        Path file = topology("greeter-config.conf", "");

        Cli.Result r = Cli.run(Timeouts.seconds(60), "config", file.toString(), "--class-path", jar.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("procactor.serialization.classes");
    }

    @Test
    void aClassPathEntryThatDoesNotExistIsAUsageError() throws IOException {
        Path file = topology("greeter-typo.conf", "");
        Path typo = tmp.resolve("lib/greeter.jra");

        Cli.Result r = Cli.run(Timeouts.seconds(60), "run", file.toString(), "--class-path", jar + java.io.File.pathSeparator + typo);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("procactor: usage error: --class-path entry [" + typo + "] does not exist (looked for "
                + typo + ")\n");
    }

    @Test
    void withoutTheJarTheErrorSaysHowToAddIt() throws IOException {
        Path file = topology("greeter-nojar.conf", "");

        Cli.Result r = Cli.run(Timeouts.seconds(60), "run", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("procactor.topology.processes.echo.actor must name an actor class on the class path, "
                + "was [com.example.greeter.Echo]").contains("procactor.topology.class-path = [...] (bin/procactor: run --class-path PATH)");
    }
}
