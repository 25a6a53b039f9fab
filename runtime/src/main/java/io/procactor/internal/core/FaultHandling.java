package io.procactor.internal.core;

import io.procactor.ExitStatus;
import io.procactor.SupervisorStrategy;
import io.procactor.SupervisorStrategy.Directive;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when an actor throws (Pekko's {@code dungeon/FaultHandling}): its supervisor's
 * strategy (its parent's, or the guardian's for a top-level actor) picks a directive; restart
 * runs {@code preRestart} on the failed instance and {@code postRestart} on a new one, counted by
 * a {@link RestartWindow} (exceeding it stops the actor and escalates); all-for-one applies the
 * same directive to the siblings; escalate stops the actor and fails its parent with the cause.
 *
 * <p>Not thread-safe: one per cell, called only by the thread that holds that cell's baton.
 * Siblings and parents are reached through their thread-safe request methods.
 */
final class FaultHandling {
    private static final Logger log = LoggerFactory.getLogger(ActorCell.class); // the logger name users filter on, as before the split

    private final ActorCell cell;
    private final RestartWindow restarts;

    FaultHandling(ActorCell cell, Ticker ticker) {
        this.cell = cell;
        this.restarts = new RestartWindow(ticker);
    }

    /** The actor threw {@code t} (while handling {@code message}, if any): its supervisor decides. */
    void failed(Throwable t, Object message) {
        SupervisorStrategy s = supervisor();
        Directive d = s.decide(t);
        String path = cell.path();
        String type = message == null ? "(no message)" : message.getClass().getName();
        switch (d) {
            case RESUME -> log.warn("Actor [{}] failed on a message of type [{}]; resumed", path, type, t);
            case RESTART -> {
                if (!restarts.tryRestart(s.maxRestarts(), s.within()).allowed()) {
                    log.error("Actor [{}] exceeded its restart intensity ({} restarts within {} ms); stopping it and escalating",
                            path, s.maxRestarts(), s.within().toMillis(), t);
                    stopAndEscalate(t);
                    return;
                }
                log.warn("Actor [{}] failed on a message of type [{}]; restarting it", path, type, t);
                if (s.isAllForOne()) {
                    for (ActorCell sibling : siblings()) {
                        sibling.requestRestart(t);
                    }
                }
                restart(t, message);
            }
            case STOP -> {
                log.warn("Actor [{}] failed on a message of type [{}]; stopping it", path, type, t);
                if (s.isAllForOne()) {
                    siblings().forEach(ActorCell::requestStop);
                }
                cell.finishStop(crashed(t), null);
            }
            case ESCALATE -> {
                log.warn("Actor [{}] failed on a message of type [{}]; escalating", path, type, t);
                stopAndEscalate(t);
            }
        }
    }

    /**
     * Replaces the actor instance: {@code preRestart} on the old one (an exception is logged and
     * ignored), a new instance, then {@code postRestart} on it; if those fail, the actor stops and
     * escalates. Also called for an all-for-one restart a sibling's failure requested.
     */
    void restart(Throwable reason, Object message) {
        try {
            cell.preRestart(reason, message);
        } catch (Throwable t) {
            log.warn("preRestart of actor [{}] threw", cell.path(), t);
        }
        try {
            cell.recreate(reason);
        } catch (Throwable t) {
            Throwable cause = ActorCell.unwrap(t);
            log.error("Actor [{}] could not be restarted", cell.path(), cause);
            stopAndEscalate(cause);
        }
    }

    private SupervisorStrategy supervisor() {
        ActorCell parent = cell.parent();
        if (parent != null) {
            SupervisorStrategy s = parent.strategyForChildren(); // read as the parent's instance was made: no user code here
            return s != null ? s : SupervisorStrategy.defaultStrategy();
        }
        return cell.core().settings().guardian();
    }

    private List<ActorCell> siblings() {
        ActorCell parent = cell.parent();
        List<ActorCell> all = new ArrayList<>(parent != null ? parent.children() : cell.core().topLevelCells());
        all.remove(cell);
        return all;
    }

    private void stopAndEscalate(Throwable t) {
        ActorCell parent = cell.parent();
        if (parent == null) {
            cell.core().escalated(cell.ref(), t); // first: the process records why it ends before its last actor is gone
        }
        cell.finishStop(crashed(t), null);
        if (parent != null) {
            parent.childEscalated(t);
        }
    }

    static ExitStatus crashed(Throwable t) {
        return new ExitStatus(0, 0, ExitStatus.Reason.CRASHED, "actor failed: " + t, List.of());
    }
}
