package io.procactor.internal.cluster;

import io.procactor.ClusterMember;

/**
 * What a {@link Coordinator} tells the runtime. Called on the coordinator's own event thread, one
 * call at a time, in the order the events happened; an implementation must not block for long.
 * Every method does nothing by default.
 */
public interface CoordinatorEvents {
    /** Another member registered (also each member present when this node joined). */
    default void memberJoined(ClusterMember member) {
    }

    /**
     * Another member is gone for everyone: its session expired (or it left cleanly). Called once
     * per incarnation; that incarnation never comes back (a restarted host joins as a new one).
     */
    default void memberLost(ClusterMember member) {
    }

    /** This node lost its connection to the coordination engine: stop taking work until {@link #resumed}. */
    default void suspended() {
    }

    /** Connection back within the session: the same incarnation goes on. */
    default void resumed() {
    }

    /**
     * This node's session is gone: for the others, {@code lost} is dead, so everything it hosted
     * must die too (Erlang's {@code peer} semantics): kill the children.
     */
    default void sessionLost(ClusterMember lost) {
    }

    /** Connected again after {@link #sessionLost}: registered as {@code self}, a new incarnation. */
    default void rejoined(ClusterMember self) {
    }
}
