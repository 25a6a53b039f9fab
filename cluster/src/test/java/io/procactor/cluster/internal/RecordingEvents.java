package io.procactor.cluster.internal;

import io.procactor.ClusterMember;
import io.procactor.internal.cluster.CoordinatorEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a coordinator reports, with the System.nanoTime() of each call. Thread-safe. */
final class RecordingEvents implements CoordinatorEvents {
    record Event(String kind, ClusterMember member, long nanos) {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();

    private void add(String kind, ClusterMember m) {
        events.add(new Event(kind, m, System.nanoTime()));
    }

    List<Event> of(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    List<ClusterMember> members(String kind) {
        return of(kind).stream().map(Event::member).toList();
    }

    @Override
    public void memberJoined(ClusterMember member) {
        add("joined", member);
    }

    @Override
    public void memberLost(ClusterMember member) {
        add("lost", member);
    }

    @Override
    public void suspended() {
        add("suspended", null);
    }

    @Override
    public void resumed() {
        add("resumed", null);
    }

    @Override
    public void sessionLost(ClusterMember lost) {
        add("sessionLost", lost);
    }

    @Override
    public void rejoined(ClusterMember self) {
        add("rejoined", self);
    }
}
