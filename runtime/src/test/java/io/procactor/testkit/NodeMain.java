package io.procactor.testkit;

import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.Props;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A node in a JVM of its own, for tests that kill a node: spawns two Doublers, waits until both
 * answer, prints {@code PIDS <pid1> <pid2>} on a line of its own and then blocks forever.
 * Started with {@code -Dprocactor.test.node=true} so leak checks can find it.
 */
public final class NodeMain {
    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = ActorSystem.create("doomed-node");
        ActorProcess a = system.spawnProcess(Props.create(TestActors.Doubler.class), "a");
        ActorProcess b = system.spawnProcess(Props.create(TestActors.Doubler.class), "b");
        Duration timeout = Duration.ofSeconds(90);
        a.ref().ask(1, timeout).get(90, TimeUnit.SECONDS);
        b.ref().ask(1, timeout).get(90, TimeUnit.SECONDS);
        System.out.println("PIDS " + a.pid() + " " + b.pid());
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
    }
}
