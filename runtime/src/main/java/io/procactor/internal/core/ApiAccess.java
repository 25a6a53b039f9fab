package io.procactor.internal.core;

import io.procactor.Actor;
import io.procactor.Props;
import io.procactor.SupervisorStrategy;
import java.lang.reflect.Constructor;

/**
 * The runtime's door to what {@code io.procactor} keeps package-private: an actor's lifecycle
 * methods (protected), the constructor {@link Props} matched, and the binding of a new actor to
 * its cell. Plain Java has no "friend" package, so the API package implements this class once, in
 * a package-private class that installs itself when {@link Props} is initialized (the JDK's
 * {@code SharedSecrets} pattern). Users see neither side: nothing public or protected in
 * {@code io.procactor} names an internal type, and no internal method needs to be public for
 * {@link Actor} to call it except {@link ActorCell}'s context methods, {@code reply} and {@code unhandled}.
 *
 * <p>Thread-safe: installed once, then read-only.
 */
public abstract class ApiAccess {
    private static volatile ApiAccess installed;

    /**
     * Called once, by {@code io.procactor}'s own implementation.
     *
     * @throws IllegalStateException when another implementation was installed already
     * @throws IllegalArgumentException when {@code access} is not io.procactor's own
     */
    public static void install(ApiAccess access) {
        if (!"io.procactor".equals(access.getClass().getPackageName())) {
            throw new IllegalArgumentException("ApiAccess [" + access.getClass().getName()
                    + "] is not io.procactor's; the runtime installs its own when Props is first used");
        }
        synchronized (ApiAccess.class) {
            if (installed != null) {
                throw new IllegalStateException("ApiAccess is installed already [" + installed.getClass().getName()
                        + "]; only io.procactor installs it");
            }
            installed = access;
        }
    }

    static ApiAccess get() {
        ApiAccess a = installed;
        if (a == null) {
            try { // initializing Props installs it
                Class.forName(Props.class.getName(), true, Props.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("cannot initialize [" + Props.class.getName() + "]", e);
            }
            a = installed;
        }
        return a;
    }

    /** The public constructor {@link Props#create} matched. */
    public abstract Constructor<?> constructor(Props props);

    /**
     * Runs {@code constructor} with {@code args}; the new actor binds to {@code cell} in
     * {@link Actor}'s constructor.
     *
     * @throws Exception what the constructor threw (wrapped in InvocationTargetException)
     */
    public abstract Actor newActor(ActorCell cell, Constructor<?> constructor, Object[] args) throws Exception;

    public abstract void receive(Actor actor, Object message) throws Exception;

    public abstract void preStart(Actor actor) throws Exception;

    public abstract void postStop(Actor actor) throws Exception;

    public abstract void preRestart(Actor actor, Throwable reason, Object message) throws Exception;

    public abstract void postRestart(Actor actor, Throwable reason) throws Exception;

    public abstract SupervisorStrategy supervisorStrategy(Actor actor);

    // ---- shared memory ----

    /** A new API object ({@code SharedLong}, {@code SharedLock}, ...) of the type {@code ref} names. */
    public abstract Object sharedObject(io.procactor.internal.core.shm.SegmentRef ref);

    /**
     * The segment behind an API shared object.
     *
     * @throws IllegalArgumentException when {@code shared} is none
     */
    public abstract io.procactor.internal.core.shm.SegmentRef segmentRef(Object shared);
}
