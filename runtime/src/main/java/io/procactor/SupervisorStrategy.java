package io.procactor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What happens to an actor whose {@code onReceive} throws: its supervisor (the parent that
 * created it with {@link ActorContext#actorOf}, or for the top-level actors of a process the
 * process's guardian, configured under {@code procactor.supervision}) picks a {@link Directive}
 * from the exception's class. The message that failed is not retried; if it was an ask, the
 * asker gets the exception.
 *
 * <p>Restart intensity (Erlang/OTP): more than {@code maxRestarts} restarts of one actor within
 * {@code within} and the actor is stopped and the failure escalated instead. Escalation from the
 * guardian ends the process with reason CRASHED, so the node's {@link RestartPolicy} takes over.
 *
 * <p>A strategy is data (exception class names mapped to directives), so it can travel to a child
 * JVM. Immutable and thread-safe.
 *
 * <pre>{@code
 * SupervisorStrategy.oneForOne(Directive.RESTART)
 *     .on(IllegalArgumentException.class, Directive.RESUME)
 *     .withIntensity(5, Duration.ofSeconds(10))
 * }</pre>
 */
public final class SupervisorStrategy {

    /** What to do with an actor that threw. */
    public enum Directive {
        /** Keep the instance and its state; go on with the next message. */
        RESUME,
        /** Replace the instance ({@code preRestart} on the old, {@code postRestart} on the new); the mailbox is kept. */
        RESTART,
        /** Stop the actor ({@code postStop} runs); its watchers get {@link Terminated}. */
        STOP,
        /** Fail the supervisor with the same exception. */
        ESCALATE
    }

    /** One rule: exceptions of {@code exceptionClass} (or subclasses) get {@code directive}. */
    public record Rule(String exceptionClass, Directive directive) {
    }

    private final boolean allForOne;
    private final List<Rule> rules;
    private final Directive otherwise;
    private final int maxRestarts;
    private final Duration within;

    private SupervisorStrategy(boolean allForOne, List<Rule> rules, Directive otherwise, int maxRestarts, Duration within) {
        this.allForOne = allForOne;
        this.rules = List.copyOf(rules);
        this.otherwise = Objects.requireNonNull(otherwise, "otherwise");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be 0 or more, was [" + maxRestarts + "]");
        }
        if (within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("within must be positive, was [" + within + "]");
        }
        this.maxRestarts = maxRestarts;
        this.within = within;
    }

    /** Only the failing actor gets the directive; at most 10 restarts a minute. */
    public static SupervisorStrategy oneForOne(Directive otherwise) {
        return new SupervisorStrategy(false, List.of(), otherwise, 10, Duration.ofMinutes(1));
    }

    /** A restart or stop applies to every sibling of the failing actor too; at most 10 restarts a minute. */
    public static SupervisorStrategy allForOne(Directive otherwise) {
        return new SupervisorStrategy(true, List.of(), otherwise, 10, Duration.ofMinutes(1));
    }

    /** Akka's default: restart on any exception, one-for-one, at most 10 restarts a minute. */
    public static SupervisorStrategy defaultStrategy() {
        return oneForOne(Directive.RESTART);
    }

    /** Adds a rule, checked in the order added, before the fallback directive. */
    public SupervisorStrategy on(Class<? extends Throwable> type, Directive directive) {
        List<Rule> r = new ArrayList<>(rules);
        r.add(new Rule(type.getName(), Objects.requireNonNull(directive, "directive")));
        return new SupervisorStrategy(allForOne, r, otherwise, maxRestarts, within);
    }

    public SupervisorStrategy withIntensity(int restarts, Duration window) {
        return new SupervisorStrategy(allForOne, rules, otherwise, restarts, window);
    }

    /** The directive for {@code failure}: the first matching rule, else the fallback. */
    public Directive decide(Throwable failure) {
        for (Rule r : rules) {
            for (Class<?> c = failure.getClass(); c != null; c = c.getSuperclass()) {
                if (c.getName().equals(r.exceptionClass())) {
                    return r.directive();
                }
            }
        }
        return otherwise;
    }

    public boolean isAllForOne() {
        return allForOne;
    }

    public List<Rule> rules() {
        return rules;
    }

    public Directive otherwise() {
        return otherwise;
    }

    public int maxRestarts() {
        return maxRestarts;
    }

    public Duration within() {
        return within;
    }

    /** One-line text form, as {@link #parse} reads it: {@code one-for-one;10;60000;restart;java.lang.IllegalStateException=stop}. */
    public String toText() {
        StringBuilder b = new StringBuilder(allForOne ? "all-for-one" : "one-for-one")
                .append(';').append(maxRestarts).append(';').append(within.toMillis())
                .append(';').append(otherwise.name().toLowerCase(Locale.ROOT));
        for (Rule r : rules) {
            b.append(';').append(r.exceptionClass()).append('=').append(r.directive().name().toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    /** Reads {@link #toText()}. */
    public static SupervisorStrategy parse(String text) {
        String[] p = text.split(";");
        List<Rule> rules = new ArrayList<>();
        for (int i = 4; i < p.length; i++) {
            int eq = p[i].indexOf('=');
            rules.add(new Rule(p[i].substring(0, eq), directive(p[i].substring(eq + 1))));
        }
        return new SupervisorStrategy("all-for-one".equals(p[0]), rules, directive(p[3]), Integer.parseInt(p[1]),
                Duration.ofMillis(Long.parseLong(p[2])));
    }

    /**
     * Parses a directive name as written in configuration.
     *
     * @throws IllegalArgumentException naming the value and the allowed values
     */
    public static Directive directive(String name) {
        try {
            return Directive.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown supervision directive [" + name + "]; allowed: resume, restart, stop, escalate");
        }
    }

    @Override
    public String toString() {
        return "SupervisorStrategy[" + toText() + "]";
    }
}
