package io.procactor.internal.wire;

import io.procactor.Task;

/**
 * What a function that this process refuses (see {@link LambdaCodec}) arrives as: every call
 * throws a {@link SecurityException} saying which function and why, so the caller gets that error
 * as its answer and the receiving process keeps running. Never sent: it has no registration.
 *
 * <p>Immutable; thread-safe.
 */
@SuppressWarnings("rawtypes")
public final class RefusedFunction implements Task.Fn0, Task.Fn, Task.Fn2, Task.Fn3, Task.Job0, Task.Job, Task.Job2, Task.Job3 {
    private static final long serialVersionUID = 1L;
    private final String message;

    RefusedFunction(String message) {
        this.message = message;
    }

    /** Why the function was refused. */
    public String message() {
        return message;
    }

    private SecurityException refused() {
        return new SecurityException(message);
    }

    @Override
    public Object get() {
        throw refused();
    }

    @Override
    public Object apply(Object a) {
        throw refused();
    }

    @Override
    public Object apply(Object a, Object b) {
        throw refused();
    }

    @Override
    public Object apply(Object a, Object b, Object c) {
        throw refused();
    }

    @Override
    public void run() {
        throw refused();
    }

    @Override
    public void accept(Object a) {
        throw refused();
    }

    @Override
    public void accept(Object a, Object b) {
        throw refused();
    }

    @Override
    public void accept(Object a, Object b, Object c) {
        throw refused();
    }

    @Override
    public String toString() {
        return "RefusedFunction[" + message + "]";
    }
}
