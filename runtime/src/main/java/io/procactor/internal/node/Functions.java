package io.procactor.internal.node;

import io.procactor.FunctionProcess;
import io.procactor.Props;
import io.procactor.internal.core.Failures;
import io.procactor.internal.core.FunctionTask;
import io.procactor.internal.wire.LambdaCodec;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.SerializationException;
import java.lang.invoke.SerializedLambda;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's side of functions as tasks: the check, on the caller's thread, that a function may
 * be sent, and function processes ({@code ActorSystem.process(fn, args...)}). Stateless apart
 * from a name counter; thread-safe.
 */
public final class Functions {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Functions() {
    }

    /**
     * Fails now, not when a worker connects, if {@code fn} cannot be sent.
     *
     * @throws io.procactor.MessageSerializationException naming the class to register, or the lambda that is not serializable,
     *         or the class of a captured value that is not registered
     */
    public static void requireSendable(NodeRuntime node, Object fn) {
        java.util.Objects.requireNonNull(fn, "fn");
        try {
            LambdaCodec.requireSendable(fn, node.registrations());
        } catch (SerializationException e) {
            throw Failures.serialization(e);
        }
        SerializedLambda form = LambdaCodec.serializedForm(fn);
        for (int i = 0; i < form.getCapturedArgCount(); i++) {
            node.core().requireEncodable(form.getCapturedArg(i)); // a lambda's captured values travel with it
        }
    }

    /**
     * A function process, not started, that will apply {@code fn} to {@code args}. Checks first that
     * the function, the values it captured and the arguments may be sent: a mistake fails here,
     * before a JVM starts for a call that could never reach it.
     */
    public static <R> FunctionProcess<R> newProcess(NodeRuntime node, Object fn, Object... args) {
        requireSendable(node, fn);
        SerializedLambda form = LambdaCodec.serializedForm(fn);
        for (Object arg : args) {
            node.core().requireEncodable(arg);
        }
        Protocol.Call call = new Protocol.Call(fn, Arrays.asList(args));
        String base = baseName(form);
        Props props = Props.create(FunctionTask.class);
        // Python names its processes Process-1, Process-2...; ours are named after the function
        while (true) {
            String name = base + "-" + SEQ.incrementAndGet();
            if (node.processes().stream().noneMatch(p -> p.name().equals(name))) {
                return new FunctionRun<>(node.newProcess(props, name), call);
            }
        }
    }

    /** The method's name for a method reference, {@code fn} for a lambda; cut to fit a process name. */
    private static String baseName(SerializedLambda sl) {
        String method = sl.getImplMethodName();
        String base = method.startsWith("lambda$") ? "fn" : method.replaceAll("[^A-Za-z0-9_.-]", "_");
        base = base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0)) ? "fn" : base;
        return base.length() > 40 ? base.substring(0, 40) : base;
    }
}
