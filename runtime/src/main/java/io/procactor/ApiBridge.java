package io.procactor;

import io.procactor.internal.core.ActorCell;
import io.procactor.internal.core.ApiAccess;
import io.procactor.internal.core.shm.SegmentRef;
import java.lang.reflect.Constructor;

/**
 * This package's side of {@link ApiAccess}: lets the runtime call an actor's protected lifecycle
 * methods and {@link Props}' constructor lookup without making them public. Package-private on
 * purpose; installed by {@link Props}' static initializer.
 *
 * <p>Thread-safe: stateless but for the thread-local that hands a new actor its cell.
 */
final class ApiBridge extends ApiAccess {
    /** The cell creating an actor on this thread, read once by {@link Actor}'s constructor. */
    private static final ThreadLocal<ActorCell> NEWBORN = new ThreadLocal<>();

    /** Called from {@link Actor}'s constructor: binds the new instance to the cell creating it. */
    static ActorCell attach(Actor actor) {
        ActorCell cell = NEWBORN.get();
        if (cell == null) {
            throw new ActorCreationException("Actor [" + actor.getClass().getName() + "] was created with 'new'; actors are "
                    + "created by the runtime: use Props.create(" + actor.getClass().getSimpleName()
                    + ".class, args...) with ActorSystem.spawnProcess or actorOf");
        }
        NEWBORN.remove();
        return cell;
    }

    @Override
    public Constructor<?> constructor(Props props) {
        return props.constructor();
    }

    @Override
    public Actor newActor(ActorCell cell, Constructor<?> constructor, Object[] args) throws Exception {
        NEWBORN.set(cell);
        try {
            Object instance = constructor.newInstance(args);
            if (!(instance instanceof Actor actor) || actor.cell() != cell) {
                throw new ActorCreationException("constructor of [" + constructor.getDeclaringClass().getName()
                        + "] did not call Actor's constructor");
            }
            return actor;
        } finally {
            NEWBORN.remove();
        }
    }

    @Override
    public void receive(Actor actor, Object message) throws Exception {
        actor.onReceive(message);
    }

    @Override
    public void preStart(Actor actor) throws Exception {
        actor.preStart();
    }

    @Override
    public void postStop(Actor actor) throws Exception {
        actor.postStop();
    }

    @Override
    public void preRestart(Actor actor, Throwable reason, Object message) throws Exception {
        actor.preRestart(reason, message);
    }

    @Override
    public void postRestart(Actor actor, Throwable reason) throws Exception {
        actor.postRestart(reason);
    }

    @Override
    public SupervisorStrategy supervisorStrategy(Actor actor) {
        return actor.supervisorStrategy();
    }

    // ---- shared memory ----

    @Override
    public Object sharedObject(SegmentRef ref) {
        return switch (ref.id().type()) {
            case INT -> new SharedInt(ref);
            case LONG -> new SharedLong(ref);
            case DOUBLE -> new SharedDouble(ref);
            case INT_ARRAY -> new SharedIntArray(ref);
            case LONG_ARRAY -> new SharedLongArray(ref);
            case DOUBLE_ARRAY -> new SharedDoubleArray(ref);
            case LOCK -> new SharedLock(ref);
            case RING -> throw new IllegalArgumentException("a queue's or pipe's ring segment is not a shared object; "
                    + "it travels inside its ProcessQueue or PipeEnd handle");
        };
    }

    @Override
    public SegmentRef segmentRef(Object shared) {
        if (shared instanceof SharedLong v) {
            return v.ref();
        } else if (shared instanceof SharedInt v) {
            return v.ref();
        } else if (shared instanceof SharedDouble v) {
            return v.ref();
        } else if (shared instanceof SharedLongArray v) {
            return v.ref();
        } else if (shared instanceof SharedIntArray v) {
            return v.ref();
        } else if (shared instanceof SharedDoubleArray v) {
            return v.ref();
        } else if (shared instanceof SharedLock v) {
            return v.ref();
        }
        throw new IllegalArgumentException("[" + shared + "] is not a shared object");
    }
}
