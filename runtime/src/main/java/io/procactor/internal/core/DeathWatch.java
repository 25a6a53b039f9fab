package io.procactor.internal.core;

import io.procactor.ExitStatus;
import io.procactor.Terminated;
import io.procactor.internal.wire.Protocol;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Death watch across processes: who in this process watches which actor of another process, the
 * {@code Watch}/{@code Unwatch}/{@code WatchNotify} messages between runtimes, and
 * {@link Terminated} exactly once per watch: from the target's process when the actor stops, or
 * from {@link #processDown} when its whole process exits, whichever comes first. Watchers of an
 * actor of this process are kept by its {@link ActorCell}.
 *
 * <p>Threads: thread-safe. {@code watch}/{@code unwatch} on the watcher's dispatcher thread;
 * {@link #notifyWatchers} on the stopped actor's dispatcher thread; {@link #handle} on the I/O
 * thread the watch message came in on; {@link #processDown} where the exit is learnt (see
 * {@link ProcessCore#processDown}). The remote-watch table is guarded by itself; sends and
 * deliveries happen outside that lock.
 */
final class DeathWatch {
    private final ProcessCore core;
    /** Actors of other processes watched from here: process -> target -> local watchers. Guarded by itself. */
    private final Map<String, Map<RefImpl, Set<RefImpl>>> remoteWatches = new HashMap<>();

    DeathWatch(ProcessCore core) {
        this.core = core;
    }

    /** {@code watcher} (of this process) watches {@code target}; it gets Terminated exactly once. */
    void watch(RefImpl watcher, RefImpl target) {
        if (isLocal(target)) {
            ActorCell cell = core.cell(target.name());
            if (cell == null || !cell.addWatcher(watcher)) {
                deliverTerminated(watcher, target, ActorCell.STOPPED);
            }
            return;
        }
        ProcessDirectory.Route route = core.directory().route(target.processName());
        if (route instanceof ProcessDirectory.Gone gone) {
            deliverTerminated(watcher, target, gone.status());
            return;
        }
        synchronized (remoteWatches) {
            remoteWatches.computeIfAbsent(target.processName(), p -> new HashMap<>())
                    .computeIfAbsent(target, t -> new HashSet<>()).add(watcher);
        }
        send(new Protocol.Watch(target, watcher), route);
    }

    void unwatch(RefImpl watcher, RefImpl target) {
        if (isLocal(target)) {
            ActorCell cell = core.cell(target.name());
            if (cell != null) {
                cell.removeWatcher(watcher);
            }
            return;
        }
        synchronized (remoteWatches) {
            Map<RefImpl, Set<RefImpl>> m = remoteWatches.get(target.processName());
            if (m == null || m.get(target) == null || !m.get(target).remove(watcher)) {
                return;
            }
        }
        send(target.processName(), new Protocol.Unwatch(target, watcher));
    }

    /** A watched actor of this process stopped: tell each watcher, here or in its process. */
    void notifyWatchers(RefImpl target, List<RefImpl> watchers, ExitStatus status) {
        if (core.isJvmExiting()) {
            return; // see ProcessCore.jvmExiting(); watchers here go down with this JVM
        }
        for (RefImpl w : watchers) {
            if (isLocal(w)) {
                deliverTerminated(w, target, status);
            } else {
                send(w.processName(), Protocol.WatchNotify.of(target, w, status));
            }
        }
    }

    /** Watch bookkeeping that arrived from another process. */
    void handle(Protocol.Routed message) {
        if (message instanceof Protocol.Watch w) {
            if (ProcessWatch.isProcess(w.target())) {
                return; // a watch of this whole process: it ends when the watcher's runtime hears we exited
            }
            ActorCell cell = core.cell(w.target().name());
            if ((cell == null || !cell.addWatcher((RefImpl) w.watcher())) && !core.isJvmExiting()) { // else ProcessDown answers
                send(w.watcher().processName(), Protocol.WatchNotify.of(w.target(), w.watcher(), ActorCell.STOPPED));
            }
        } else if (message instanceof Protocol.Unwatch u) {
            ActorCell cell = core.cell(u.target().name());
            if (cell != null) {
                cell.removeWatcher((RefImpl) u.watcher());
            }
        } else if (message instanceof Protocol.WatchNotify n) {
            RefImpl target = (RefImpl) n.target();
            boolean registered;
            synchronized (remoteWatches) {
                Map<RefImpl, Set<RefImpl>> m = remoteWatches.get(target.processName());
                Set<RefImpl> ws = m == null ? null : m.get(target);
                registered = ws != null && ws.remove((RefImpl) n.watcher());
            }
            if (registered) { // exactly once: a ProcessDown may have reported it already
                deliverTerminated((RefImpl) n.watcher(), target, n.status());
            }
        }
    }

    /** {@code process} has exited: every watch of its actors from here ends with its exit status. */
    void processDown(String process, ExitStatus status) {
        Map<RefImpl, Set<RefImpl>> watched;
        synchronized (remoteWatches) {
            watched = remoteWatches.remove(process);
        }
        if (watched != null) {
            watched.forEach((target, watchers) -> watchers.forEach(w -> deliverTerminated(w, target, status)));
        }
    }

    private boolean isLocal(RefImpl ref) {
        return ref.processName().equals(core.processName());
    }

    private void deliverTerminated(RefImpl watcher, RefImpl target, ExitStatus status) {
        core.deliverLocal(watcher, target, new Terminated(target, status));
    }

    /** Sends {@code message} to the runtime of {@code process} (handled at once when that is this process). */
    private void send(String process, Protocol.Routed message) {
        if (process.equals(core.processName())) {
            handle(message);
        } else {
            send(message, core.directory().route(process));
        }
    }

    /** Sends {@code message} to the runtime of another process along {@code route}, resolved by the caller. */
    private void send(Protocol.Routed message, ProcessDirectory.Route route) {
        if (route instanceof ProcessDirectory.Linked linked) {
            linked.association().send(message);
        } else if (message instanceof Protocol.Watch w) { // nobody there to answer: the watch ends now
            handle(Protocol.WatchNotify.of(w.target(), w.watcher(),
                    route instanceof ProcessDirectory.Gone gone ? gone.status() : ActorCell.STOPPED));
        }
    }
}
