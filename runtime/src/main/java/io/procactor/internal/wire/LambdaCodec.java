package io.procactor.internal.wire;

import io.procactor.transport.Registrations;
import io.procactor.transport.SerializationException;
import io.procactor.transport.WireCodec;
import io.procactor.transport.WireReader;
import io.procactor.transport.WireWriter;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a serializable lambda or method reference as its {@link SerializedLambda} (names and
 * captured values) and recreates it on arrival, <b>only</b> when the class it was written in (the
 * capturing class) is an application class of this process's registration table; see
 * docs/security.md.
 *
 * <p>Why this is safe: the function is recreated by the capturing class's own synthetic
 * {@code $deserializeLambda$}, which the compiler generates from the serializable lambdas in that
 * class and which rejects any other implementation method, interface or signature. So a peer can
 * only make this process run functions that registered classes themselves contain; no method is
 * ever looked up by a name from the wire, and a class named on the wire is never loaded (the
 * capturing class is taken from the table). Captured values are read as any message part, with
 * the same registered Kryo.
 *
 * <p>A refused function does not fail the whole message: it arrives as a {@link RefusedFunction}
 * that throws a {@link SecurityException} saying why when called, so a function worker answers
 * the caller with that error and keeps running. The sender checks the same rule, to fail at send
 * time with the registration that fixes it.
 *
 * <p>Threads: {@link #bind} once, before the transport encodes or decodes; then called
 * concurrently from encoding and decoding threads. Thread-safe: the caches are immutable maps
 * replaced whole, or {@link ClassValue}s.
 */
public final class LambdaCodec implements WireCodec<Object> {
    private static final Logger log = LoggerFactory.getLogger(LambdaCodec.class);

    /** Tests turn it off to show that the receiving process refuses a function by itself. */
    static volatile boolean checkOnWrite = true;

    private static final ClassValue<Method> WRITE_REPLACE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method m = type.getDeclaredMethod("writeReplace");
                m.setAccessible(true);
                return m;
            } catch (NoSuchMethodException | RuntimeException e) {
                return null; // not a serializable lambda
            }
        }
    };

    private static final ClassValue<Optional<Method>> DESERIALIZE = new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> type) {
            try {
                Method m = type.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
                m.setAccessible(true);
                return Optional.of(m);
            } catch (NoSuchMethodException | RuntimeException e) {
                return Optional.empty(); // the class contains no serializable lambda
            }
        }
    };

    private volatile Supplier<Registrations> registrations = () -> null;
    private volatile Allowed allowed = new Allowed(null, Map.of());

    /** The application classes of one table, by name. */
    private record Allowed(Registrations table, Map<String, Class<?>> byName) {
    }

    /** Binds to this process's effective table (a child's is the node's, adopted in the handshake). */
    public void bind(Supplier<Registrations> registrations) {
        this.registrations = registrations;
    }

    @Override
    public void write(WireWriter out, Object fn) {
        SerializedLambda sl = serializedForm(fn);
        String capturing = className(sl.getCapturingClass());
        if (checkOnWrite && allowedClass(capturing) == null) {
            throw notRegistered(sl);
        }
        out.writeString(capturing);
        out.writeString(sl.getFunctionalInterfaceClass());
        out.writeString(sl.getFunctionalInterfaceMethodName());
        out.writeString(sl.getFunctionalInterfaceMethodSignature());
        out.writeInt(sl.getImplMethodKind());
        out.writeString(sl.getImplClass());
        out.writeString(sl.getImplMethodName());
        out.writeString(sl.getImplMethodSignature());
        out.writeString(sl.getInstantiatedMethodType());
        out.writeInt(sl.getCapturedArgCount());
        for (int i = 0; i < sl.getCapturedArgCount(); i++) {
            out.writeObject(sl.getCapturedArg(i));
        }
    }

    @Override
    public Object read(WireReader in) {
        String capturing = className(in.readString()); // a forger may write it either way
        String fiClass = in.readString();
        String fiMethod = in.readString();
        String fiSignature = in.readString();
        int implKind = in.readInt();
        String implClass = in.readString();
        String implMethod = in.readString();
        String implSignature = in.readString();
        String instantiatedType = in.readString();
        int n = in.readInt();
        if (n < 0 || n > 255) { // a method has at most 255 parameters
            throw new IllegalArgumentException("a function with [" + n + "] captured values; at most 255");
        }
        Object[] captured = new Object[n];
        for (int i = 0; i < n; i++) {
            captured[i] = in.readObject();
        }
        String name = implMethod.startsWith("lambda$") ? "a lambda in " + capturing : className(implClass) + "::" + implMethod;
        Class<?> capturingClass = allowedClass(capturing);
        if (capturingClass == null) {
            return refused(name, "it is written in class [" + capturing + "], which is not registered in this process; only functions"
                    + " written in registered classes run here. Register [" + capturing + "] (ActorSystem.Builder.register or"
                    + " procactor.serialization.classes) if you trust its functions");
        }
        Optional<Method> deserialize = DESERIALIZE.get(capturingClass);
        if (deserialize.isEmpty()) {
            return refused(name, "class [" + capturing + "] contains no serializable function");
        }
        SerializedLambda sl = new SerializedLambda(capturingClass, fiClass, fiMethod, fiSignature, implKind, implClass, implMethod,
                implSignature, instantiatedType, captured);
        try {
            return deserialize.get().invoke(null, sl);
        } catch (InvocationTargetException e) {
            // $deserializeLambda$ rejects what its class does not contain ("Invalid lambda deserialization")
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return refused(name, "class [" + capturing + "] contains no such serializable function (" + cause + ")");
        } catch (IllegalAccessException | RuntimeException e) {
            return refused(name, "it cannot be recreated from class [" + capturing + "]: " + e);
        }
    }

    /**
     * Checks on the caller's thread what {@link #write} checks when the function is encoded,
     * which may happen later (while a worker still starts).
     *
     * @throws SerializationException naming the class to register, or a lambda that is not serializable
     */
    public static void requireSendable(Object fn, Registrations table) {
        SerializedLambda sl = serializedForm(fn);
        String capturing = className(sl.getCapturingClass());
        for (Registrations.Entry e : table.entries()) {
            if (e.id() >= Registrations.FIRST_APPLICATION_ID && e.type().getName().equals(capturing)) {
                return;
            }
        }
        if (checkOnWrite) {
            throw notRegistered(sl);
        }
    }

    private static SerializationException notRegistered(SerializedLambda sl) {
        String capturing = className(sl.getCapturingClass());
        return new SerializationException("function [" + describe(sl) + "] cannot be sent to another process: it is written in class ["
                + capturing + "], which is not registered, and processes run only functions written in registered classes",
                capturing, null);
    }

    private RefusedFunction refused(String name, String why) {
        String message = "function [" + name + "] refused: " + why;
        log.warn("{}", message);
        return new RefusedFunction(message);
    }

    /** The registered application class named {@code name}, or null. */
    private Class<?> allowedClass(String name) {
        Registrations table = registrations.get();
        Allowed a = allowed;
        if (a.table() != table) {
            Map<String, Class<?>> byName = new HashMap<>();
            if (table != null) {
                for (Registrations.Entry e : table.entries()) {
                    if (e.id() >= Registrations.FIRST_APPLICATION_ID) {
                        byName.put(e.type().getName(), e.type());
                    }
                }
            }
            a = new Allowed(table, Map.copyOf(byName));
            allowed = a;
        }
        return a.byName().get(name);
    }

    /**
     * The serialized form of a lambda or method reference.
     *
     * @throws SerializationException when {@code fn} is a lambda that is not serializable
     */
    public static SerializedLambda serializedForm(Object fn) {
        Method writeReplace = WRITE_REPLACE.get(fn.getClass());
        Object form = null;
        if (writeReplace != null) {
            try {
                form = writeReplace.invoke(fn);
            } catch (IllegalAccessException | InvocationTargetException e) {
                form = null;
            }
        }
        if (!(form instanceof SerializedLambda sl)) {
            throw new SerializationException("a lambda of class [" + fn.getClass().getName() + "] is not serializable",
                    fn.getClass().getName(), null);
        }
        return sl;
    }

    /** {@code Square::apply} for a method reference, {@code a lambda in Main} for a lambda. */
    public static String describe(SerializedLambda sl) {
        if (sl.getImplMethodName().startsWith("lambda$")) {
            return "a lambda in " + className(sl.getCapturingClass());
        }
        return className(sl.getImplClass()) + "::" + sl.getImplMethodName();
    }

    private static String className(String internalName) {
        return internalName.replace('/', '.');
    }
}
