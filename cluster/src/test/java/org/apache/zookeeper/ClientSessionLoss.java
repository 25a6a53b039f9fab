package org.apache.zookeeper;

/**
 * For tests: a ZooKeeper client loses its connection the way a crashed or cut-off host does, with
 * its session left open on the server, which expires it one session timeout later.
 *
 * <p>{@code getTestable().injectSessionExpiration()} queues the Expired event before it marks the
 * handle closed. Curator closes the handle on that event, and when its thread wins the race the
 * handle is still alive and sends closeSession: the server drops the session (and its ephemeral
 * znodes) at once, as on a clean close. Here the handle is marked closed first, so that close is a
 * no-op and the session is only ever expired. The class lives in ZooKeeper's package for its
 * package-private client internals. Not thread-safe; call it from the test thread.
 */
public final class ClientSessionLoss {
    private ClientSessionLoss() {
    }

    /** Drops the connection without closing the session and tells the client its session expired. */
    public static void expireWithoutClosing(ZooKeeper zk) {
        ClientCnxn cnxn = zk.cnxn;
        cnxn.state = ZooKeeper.States.CLOSED; // first: from here on, closing this handle sends nothing
        cnxn.eventThread.queueEvent(new WatchedEvent(Watcher.Event.EventType.None, Watcher.Event.KeeperState.Expired, null));
        cnxn.eventThread.queueEventOfDeath();
        cnxn.sendThread.getClientCnxnSocket().onClosing();
    }
}
