package io.procactor.internal.core;

import io.procactor.Task;
import java.util.List;

/**
 * Applies one of {@link Task}'s function types to its arguments, for the function actors. A
 * procedure ({@code Job*}) answers null. Stateless; thread-safe.
 */
public final class FunctionCalls {
    private FunctionCalls() {
    }

    /**
     * {@code fn(args...)}.
     *
     * @throws IllegalArgumentException if {@code fn} is not a Task function or takes another number of arguments
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object invoke(Object fn, List<Object> args) {
        int n = args.size();
        if (n == 0 && fn instanceof Task.Fn0 f) {
            return f.get();
        }
        if (n == 0 && fn instanceof Task.Job0 f) {
            f.run();
            return null;
        }
        if (n == 1 && fn instanceof Task.Fn f) {
            return f.apply(args.get(0));
        }
        if (n == 1 && fn instanceof Task.Job f) {
            f.accept(args.get(0));
            return null;
        }
        if (n == 2 && fn instanceof Task.Fn2 f) {
            return f.apply(args.get(0), args.get(1));
        }
        if (n == 2 && fn instanceof Task.Job2 f) {
            f.accept(args.get(0), args.get(1));
            return null;
        }
        if (n == 3 && fn instanceof Task.Fn3 f) {
            return f.apply(args.get(0), args.get(1), args.get(2));
        }
        if (n == 3 && fn instanceof Task.Job3 f) {
            f.accept(args.get(0), args.get(1), args.get(2));
            return null;
        }
        throw new IllegalArgumentException("cannot call [" + Failures.typeName(fn) + "] with " + n + " argument(s): a function must be "
                + "one of io.procactor.Task's types (Fn0, Fn, Fn2, Fn3, Job0, Job, Job2, Job3) taking that many arguments");
    }
}
