package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.transport.Credentials;
import io.procactor.transport.Hello;
import io.procactor.transport.PeerCredentials;
import io.procactor.transport.PeerInfo;
import org.junit.jupiter.api.Test;

/** The admission rule for a child's connection, observation by observation. */
class ChildAdmissionRuleTest {
    private static final long PID = 4242;
    private final Credentials secret = Credentials.random();
    private final Credentials sharedBetweenChildren = Credentials.random();

    private String refusal(Credentials presented, long claimedPid, PeerCredentials kernel) {
        Hello hello = new Hello(new PeerInfo("worker", claimedPid, 1, kernel), presented.token());
        return ChildAdmission.refusal("worker", secret, PID, hello);
    }

    @Test
    void theLaunchedJvmWithItsSecretIsAdmittedOnEveryKindOfSocket() {
        assertThat(refusal(secret, PID, PeerCredentials.ofIds(PID, 0, 0, true))).as("epoll").isNull();
        assertThat(refusal(secret, PID, PeerCredentials.ofNames("me", "me", true))).as("JDK Unix sockets").isNull();
        assertThat(refusal(secret, PID, PeerCredentials.NONE)).as("TCP: nothing more to check").isNull();
    }

    @Test
    void aPidReadFromTheProcessTableIsNotEnough() {
        assertThat(refusal(Credentials.random(), PID, PeerCredentials.ofIds(PID, 0, 0, true))).contains("wrong secret");
        assertThat(refusal(sharedBetweenChildren, PID, PeerCredentials.NONE))
                .as("another child knows the peer secret, not this launch's").contains("wrong secret");
    }

    @Test
    void theSecretWithAnotherPidIsRefused() {
        assertThat(refusal(secret, PID + 1, PeerCredentials.NONE)).contains("claims pid [4243]");
    }

    @Test
    void whereTheKernelTellsItMustBeTheLaunchedProcessOfThisUser() {
        assertThat(refusal(secret, PID, PeerCredentials.ofIds(PID + 7, 0, 0, true)))
                .as("the secret was stolen, the pid claimed: the kernel knows better").contains("the kernel says pid [4249]");
        assertThat(refusal(secret, PID, PeerCredentials.ofNames("mallory", "mallory", false))).contains("another user");
    }
}
