package io.procactor.classpath;

import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.Props;
import io.procactor.testkit.TestActors;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A node in a JVM of its own, however that JVM was launched: spawns one child, asks it, prints
 * {@code REPLY <answer>} and its own {@code java.class.path}, then closes the system and exits 0.
 */
public final class ReplyingNode {
    private ReplyingNode() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("NODE CLASS PATH " + System.getProperty("java.class.path"));
        try (ActorSystem system = ActorSystem.create("classpath-node")) {
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "doubler");
            Object answer = p.ref().ask(21, Duration.ofSeconds(90)).get(90, TimeUnit.SECONDS);
            System.out.println("REPLY " + answer);
        }
        System.out.flush();
        System.exit(0);
    }
}
