package io.procactor.cluster.agent;

import com.typesafe.config.ConfigFactory;
import io.procactor.ActorSystem;
import io.procactor.ClusterMember;

/**
 * A host agent JVM for the tests, as {@code bin/procactor agent} runs one (an actor system with
 * {@code procactor.cluster.role = agent}, public API only), configured by the HOCON text of its
 * first argument. Prints {@code AGENT host@incarnation address} once registered; closes and exits
 * when its stdin closes (the test JVM is gone, or the test is done with it).
 */
public final class AgentTestMain {
    private AgentTestMain() {
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = ActorSystem.create("agent", ConfigFactory.parseString(args[0]).withFallback(ConfigFactory.load()));
        ClusterMember self = system.cluster().self();
        System.out.println("AGENT " + self + " " + self.address());
        System.out.flush();
        while (System.in.read() >= 0) {
            // nothing is sent; reading only detects the end
        }
        system.close();
        System.exit(0);
    }
}
