package io.procactor.internal.topology;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.procactor.Actor;
import io.procactor.ActorRef;
import io.procactor.Props;
import io.procactor.internal.core.Primitives;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Fits the {@code args} of a topology entry to a public constructor of its actor: refs replaced,
 * numbers and strings converted to the parameter types (an {@code int} from {@code 1000}, a
 * {@code Duration} from {@code "5s"}). Stateless; thread-safe.
 */
final class ArgsFitter {
    /** A parameter the argument cannot become. */
    private static final Object NO_FIT = new Object();

    private ArgsFitter() {
    }

    /**
     * Props for {@code actor} from topology arguments: refs replaced by {@code refs}, and numbers and
     * strings converted to the parameter types of the one public constructor they fit. When no or
     * several constructors fit, {@link Props#create} explains what is wrong with the arguments as given.
     */
    static Props props(Class<? extends Actor> actor, List<Object> args, Function<String, ActorRef> refs) {
        List<Object[]> fits = new ArrayList<>();
        for (Constructor<?> k : actor.getConstructors()) {
            Object[] fitted = fit(k.getParameterTypes(), args, refs);
            if (fitted != null) {
                fits.add(fitted);
            }
        }
        if (fits.size() == 1) {
            return Props.create(actor, fits.get(0));
        }
        Object[] raw = args.stream().map(a -> a instanceof TopologySpec.RefArg r ? refs.apply(r.name()) : a).toArray();
        return Props.create(actor, raw);
    }

    private static Object[] fit(Class<?>[] params, List<Object> args, Function<String, ActorRef> refs) {
        if (params.length != args.size()) {
            return null;
        }
        Object[] out = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            Object v = fitOne(params[i], args.get(i), refs);
            if (v == NO_FIT) {
                return null;
            }
            out[i] = v;
        }
        return out;
    }

    private static Object fitOne(Class<?> type, Object a, Function<String, ActorRef> refs) {
        if (a instanceof TopologySpec.RefArg r) {
            return type.isAssignableFrom(ActorRef.class) ? refs.apply(r.name()) : NO_FIT;
        }
        if (a == null) {
            return type.isPrimitive() ? NO_FIT : null;
        }
        Class<?> t = Primitives.box(type);
        if (t.isInstance(a)) {
            return a;
        }
        if (a instanceof Number n) {
            return number(t, n);
        }
        if (a instanceof String s) {
            if (t == Duration.class) {
                try {
                    return ConfigFactory.empty().withValue("d", ConfigValueFactory.fromAnyRef(s)).getDuration("d");
                } catch (ConfigException e) {
                    return NO_FIT;
                }
            }
            if (t == Character.class && s.length() == 1) {
                return s.charAt(0);
            }
        }
        return NO_FIT;
    }

    /** A HOCON number as the boxed type {@code t}, if it fits without loss of integral digits. */
    private static Object number(Class<?> t, Number n) {
        boolean integral = n instanceof Integer || n instanceof Long;
        if (t == Long.class && integral) {
            return n.longValue();
        }
        if (t == Integer.class && integral && n.longValue() == n.intValue()) {
            return n.intValue();
        }
        if (t == Short.class && integral && n.longValue() == n.shortValue()) {
            return n.shortValue();
        }
        if (t == Double.class) {
            return n.doubleValue();
        }
        if (t == Float.class) {
            return n.floatValue();
        }
        return NO_FIT;
    }
}
