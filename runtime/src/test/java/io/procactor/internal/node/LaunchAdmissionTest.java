package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** At most maxStarting launches run at once; the rest wait in order; a withdrawn one never runs. No JVM, no threads. */
class LaunchAdmissionTest {
    private final List<Runnable> queued = new ArrayList<>();
    private final Executor executor = queued::add; // runs only when the test says so
    private final LaunchAdmission admission = new LaunchAdmission(2, executor);
    private final List<String> launched = new ArrayList<>();
    private final List<LaunchAdmission.Ticket> tickets = new ArrayList<>();

    private LaunchAdmission.Ticket request(String name) {
        LaunchAdmission.Ticket t = admission.request(ticket -> {
            launched.add(name);
            tickets.add(ticket);
        });
        return t;
    }

    private void runQueued() {
        List<Runnable> now = new ArrayList<>(queued);
        queued.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void launchesBeyondTheLimitWaitTheirTurnInOrder() {
        request("a");
        request("b");
        LaunchAdmission.Ticket c = request("c");
        LaunchAdmission.Ticket d = request("d");
        assertThat(launched).containsExactly("a", "b");
        assertThat(admission.ahead(c)).isZero();
        assertThat(admission.ahead(d)).isEqualTo(1);

        admission.release(tickets.get(0)); // a listens
        admission.release(tickets.get(0)); // and exits later: released once only
        runQueued();
        assertThat(launched).containsExactly("a", "b", "c");
        assertThat(admission.ahead(c)).isEqualTo(-1);
        assertThat(admission.ahead(d)).isZero();

        admission.release(tickets.get(1));
        runQueued();
        assertThat(launched).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aWithdrawnLaunchNeverRunsAndAnAdmittedOneCannotBeWithdrawn() {
        LaunchAdmission.Ticket a = request("a");
        request("b");
        LaunchAdmission.Ticket c = request("c");
        LaunchAdmission.Ticket d = request("d");
        assertThat(admission.cancel(a)).isFalse();
        assertThat(admission.cancel(c)).isTrue();
        admission.release(tickets.get(0));
        runQueued();
        assertThat(launched).containsExactly("a", "b", "d");
        assertThat(admission.ahead(d)).isEqualTo(-1);
    }

    @Test
    void aReleasedSlotWithNobodyWaitingIsFreeForTheNextRequest() {
        request("a");
        request("b");
        admission.release(tickets.get(0));
        admission.release(tickets.get(1));
        request("c");
        request("d");
        assertThat(launched).containsExactly("a", "b", "c", "d");
        assertThat(queued).isEmpty();
    }

    @Test
    void aSpareWaitsBehindEveryProcessLaunch() {
        request("a");
        request("b");
        admission.requestInBackground(ticket -> {
            launched.add("spare");
            tickets.add(ticket);
        });
        LaunchAdmission.Ticket c = request("c"); // asked after the spare, launched before it
        assertThat(admission.ahead(c)).isZero();
        admission.release(tickets.get(0));
        runQueued();
        admission.release(tickets.get(1));
        runQueued();
        assertThat(launched).containsExactly("a", "b", "c", "spare");
    }
}
