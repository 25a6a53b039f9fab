package io.procactor;

import java.io.Serializable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Functions that run in another process: Python's {@code Pool.map(f, xs)} and
 * {@code Process(target=f, args=...)}. Write them as method references or lambdas; the compiler
 * makes them serializable because these types are.
 *
 * <pre>{@code
 * static int square(int x) { return x * x; }
 *
 * List<Integer> squares = pool.map(Main::square, List.of(1, 2, 3), Duration.ofSeconds(10));
 * FunctionProcess<Void> p = system.run(Main::task, 1, 2);   // static void task(int a, int b)
 * }</pre>
 *
 * <p>What crosses the process boundary is the function's name, never its code: the receiving JVM
 * recreates it from its own class path. <b>A function runs in another process only if the class
 * it is written in</b> (the class that contains the lambda or the method reference, which is
 * not always the class of the method it names) <b>is registered</b> for serialization
 * ({@code ActorSystem.Builder.register(Main.class)}, {@code registerPackage(...)} or the config
 * keys {@code procactor.serialization.classes} / {@code packages}); every other function is
 * refused where it arrives. Values a lambda captures travel with it and must be registered like
 * any message. See {@code docs/security.md}.
 *
 * <p>Overloads: a method reference or an explicitly typed lambda picks the right type; an
 * implicitly typed lambda whose body is a call, such as {@code (a, b) -> print(a)}, fits both the
 * {@code Fn} and the {@code Job} of its arity: give it parameter types or cast it.
 *
 * <p>Instances are as thread-safe as the code they run; the runtime calls each from one thread.
 */
public final class Task {
    private Task() {
    }

    /** A function without arguments that returns a result (Python's {@code f()}). */
    @FunctionalInterface
    public interface Fn0<R> extends Supplier<R>, Serializable {
    }

    /** A function of one argument ({@code pool.map(f, xs)}). */
    @FunctionalInterface
    public interface Fn<T, R> extends Function<T, R>, Serializable {
    }

    /** A function of two arguments. */
    @FunctionalInterface
    public interface Fn2<A, B, R> extends Serializable {
        R apply(A a, B b);
    }

    /** A function of three arguments. */
    @FunctionalInterface
    public interface Fn3<A, B, C, R> extends Serializable {
        R apply(A a, B b, C c);
    }

    /** A procedure without arguments or result. */
    @FunctionalInterface
    public interface Job0 extends Runnable, Serializable {
    }

    /** A procedure of one argument, without result. */
    @FunctionalInterface
    public interface Job<A> extends Serializable {
        void accept(A a);
    }

    /** A procedure of two arguments, without result (Python's {@code def task(a, b): print(a, b)}). */
    @FunctionalInterface
    public interface Job2<A, B> extends Serializable {
        void accept(A a, B b);
    }

    /** A procedure of three arguments, without result. */
    @FunctionalInterface
    public interface Job3<A, B, C> extends Serializable {
        void accept(A a, B b, C c);
    }
}
