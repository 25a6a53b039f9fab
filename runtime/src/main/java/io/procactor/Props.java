package io.procactor;

import io.procactor.internal.core.ApiAccess;
import io.procactor.internal.core.Primitives;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How to create an actor: its class and constructor arguments. Validated here, in the caller's
 * JVM, before any process starts: the class must be public, concrete, static if nested, and have
 * exactly one public constructor that takes the given arguments. The arguments travel to the
 * hosting process, so they must be registered for serialization like messages.
 *
 * <p>Immutable and thread-safe (the arguments themselves should be immutable too).
 */
public final class Props {
    private final Class<? extends Actor> actorClass;
    private final List<Object> args;
    private final transient Constructor<?> constructor;

    static {
        ApiAccess.install(new ApiBridge()); // the runtime reads constructor() through it
    }

    private Props(Class<? extends Actor> actorClass, Object[] args, Constructor<?> constructor) {
        this.actorClass = actorClass;
        this.args = java.util.Collections.unmodifiableList(new ArrayList<>(Arrays.asList(args)));
        this.constructor = constructor;
    }

    /**
     * Props for {@code actorClass} created with {@code args}.
     *
     * @throws ActorCreationException saying what to change when the class cannot be created so
     */
    public static Props create(Class<? extends Actor> actorClass, Object... args) {
        Objects.requireNonNull(actorClass, "actorClass");
        Object[] a = args == null ? new Object[] {null} : args;
        return new Props(actorClass, a, validate(actorClass, a));
    }

    public Class<? extends Actor> actorClass() {
        return actorClass;
    }

    public List<Object> args() {
        return args;
    }

    /**
     * The constructor that {@link #create} matched. Package-private: the runtime reads it through
     * {@link ApiAccess}, so it is no part of the API.
     */
    Constructor<?> constructor() {
        return constructor;
    }

    private static Constructor<?> validate(Class<? extends Actor> c, Object[] args) {
        String name = c.getName();
        int mod = c.getModifiers();
        if (!Modifier.isPublic(mod)) {
            throw new ActorCreationException("Actor class [" + name + "] is not public; declare it public so another process can create it");
        }
        if (Modifier.isAbstract(mod)) {
            throw new ActorCreationException("Actor class [" + name + "] is abstract; pass a concrete subclass to Props.create");
        }
        if (c.getEnclosingClass() != null && !Modifier.isStatic(mod)) {
            throw new ActorCreationException("Actor class [" + name + "] is an inner class; declare it static "
                    + "(an inner class needs an enclosing instance that cannot travel to another process)");
        }
        if (c.isAnonymousClass() || c.isLocalClass()) {
            throw new ActorCreationException("Actor class [" + name + "] is anonymous or local; make it a top-level or static nested public class");
        }
        List<Constructor<?>> matching = new ArrayList<>();
        for (Constructor<?> k : c.getConstructors()) {
            if (accepts(k.getParameterTypes(), args)) {
                matching.add(k);
            }
        }
        if (matching.size() == 1) {
            return matching.get(0);
        }
        String given = Arrays.stream(args).map(x -> x == null ? "null" : x.getClass().getSimpleName())
                .collect(Collectors.joining(", ", "(", ")"));
        String available = Arrays.stream(c.getConstructors()).map(Props::signature).collect(Collectors.joining(", "));
        if (matching.isEmpty()) {
            throw new ActorCreationException("Actor class [" + name + "] has no public constructor that takes " + given
                    + "; public constructors: [" + (available.isEmpty() ? "none" : available)
                    + "]. Pass matching arguments to Props.create or add such a constructor");
        }
        throw new ActorCreationException("Actor class [" + name + "] has several public constructors that take " + given + ": ["
                + matching.stream().map(Props::signature).collect(Collectors.joining(", "))
                + "]; pass arguments that match exactly one (a null argument matches any object parameter)");
    }

    private static boolean accepts(Class<?>[] params, Object[] args) {
        if (params.length != args.length) {
            return false;
        }
        for (int i = 0; i < params.length; i++) {
            Class<?> p = params[i];
            Object a = args[i];
            if (a == null) {
                if (p.isPrimitive()) {
                    return false;
                }
            } else if (!Primitives.box(p).isInstance(a)) {
                return false;
            }
        }
        return true;
    }

    private static String signature(Constructor<?> k) {
        return k.getDeclaringClass().getSimpleName() + Arrays.stream(k.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    @Override
    public String toString() {
        return "Props[" + actorClass.getName() + ", args=" + args + "]";
    }
}
