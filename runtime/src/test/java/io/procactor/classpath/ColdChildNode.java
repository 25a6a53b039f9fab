package io.procactor.classpath;

import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.ProcessOptions;
import io.procactor.Props;
import io.procactor.testkit.TestActors;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A node in a JVM of its own whose children run from a class path of jars: a first child, started
 * and stopped without a message, writes the class path's class-data archive as it exits; then a cold child that maps it is
 * asked once with the JVM's class-load log on, and a second one if the first loaded a class from a
 * jar or generated a proxy class. Prints {@code MAPPED <archive>} when a cold child mapped the
 * archive, each class a cold child loaded from a jar or generated (a proxy: the JVM makes one for
 * each annotation type read; or a lambda the archive lacks), and {@code NO CLASS FROM A JAR, NO
 * PROXY OR LAMBDA CLASS} when the last cold child did neither.
 * Arguments: the children's class path, the class-load log's path, the timeout in milliseconds.
 */
public final class ColdChildNode {
    private ColdChildNode() {
    }

    public static void main(String[] args) throws Exception {
        String classPath = args[0];
        Path log = Path.of(args[1]);
        Duration timeout = Duration.ofMillis(Long.parseLong(args[2]));
        Path cds = Path.of(System.getProperty("java.io.tmpdir"), "procactor-" + System.getProperty("user.name"), "cds");
        // the node's configured class path, not a process's own: only that one gets an archive
        var config = ConfigFactory.empty().withValue("procactor.child.class-path",
                ConfigValueFactory.fromIterable(List.of(classPath.split(File.pathSeparator))));
        try (ActorSystem system = ActorSystem.create("cold-child", config)) {
            ProcessOptions options = ProcessOptions.defaults();
            // the writer only starts and stops: its rehearsal, not its work, must put a message's classes in the archive
            startAndStop(system.spawnProcess(Props.create(TestActors.Doubler.class), "writer", options), timeout);
            await().atMost(timeout).until(() -> archive(cds) != null);
            String archive = archive(cds).getFileName().toString();

            // a class loaded by chance (a timing) may show once; a second cold child then loads none
            boolean clean = false;
            for (int attempt = 1; attempt <= 2 && !clean; attempt++) {
                Path attemptLog = Path.of(log + "." + attempt);
                ActorProcess cold = system.spawnProcess(Props.create(TestActors.Doubler.class), "cold-" + attempt,
                        options.jvmOptions("-Xlog:class+load=info:file=" + attemptLog));
                cold.ref().ask(21, timeout).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (Files.readString(Path.of("/proc/" + cold.pid() + "/maps")).contains(archive)) {
                    System.out.println("MAPPED " + archive);
                }
                cold.terminate();
                cold.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                clean = true;
                for (String line : Files.readAllLines(attemptLog)) {
                    if (line.contains("source: file:") || line.contains("source: jar:")) {
                        System.out.println("COLD CHILD " + attempt + " FROM JAR " + line);
                        clean = false;
                    }
                    if (line.contains("__dynamic_proxy__")) { // an annotation was read: see InboundHandler
                        System.out.println("COLD CHILD " + attempt + " GENERATED " + line);
                        clean = false;
                    }
                    if (generatedLambda(line)) { // the archive lacks it: see ChildWires
                        System.out.println("COLD CHILD " + attempt + " GENERATED " + line);
                        clean = false;
                    }
                }
            }
            System.out.println(clean ? "NO CLASS FROM A JAR, NO PROXY OR LAMBDA CLASS" : "CLASSES FROM A JAR, PROXIES OR LAMBDAS IN BOTH COLD CHILDREN");
        }
        System.out.flush();
        System.exit(0);
    }

    /**
     * A lambda class of ours, Netty's or Kryo's that the child generated: the archive holds every
     * one its writer made (the JDK leaves out some of its own, such as {@code VarHandle}'s).
     */
    static boolean generatedLambda(String classLoadLine) {
        return classLoadLine.contains("$$Lambda") && !classLoadLine.contains("shared objects file")
                && (classLoadLine.contains("] io.procactor.") || classLoadLine.contains("] io.netty.")
                || classLoadLine.contains("] com.esotericsoftware."));
    }

    private static void startAndStop(ActorProcess p, Duration timeout) throws Exception {
        p.ready().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        p.terminate();
        p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The archive (a dynamic CDS archive, or an AOT cache on JDK 25+) once it is published, else null. */
    private static Path archive(Path cds) throws IOException {
        if (!Files.isDirectory(cds)) {
            return null;
        }
        try (Stream<Path> files = Files.list(cds)) {
            return files.filter(f -> f.getFileName().toString().matches("[0-9a-f]+\\.(jsa|aot)")).findFirst().orElse(null);
        }
    }
}
