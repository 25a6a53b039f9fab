package io.procactor.samples.executor;

import io.procactor.Actor;
import java.math.BigDecimal;

/**
 * Python's {@code do_something(seconds)} as a pool worker: a task is a number of seconds (a
 * {@code Double}), the result the text the original returns.
 */
public final class Sleeper extends Actor {
    @Override
    protected void onReceive(Object message) throws InterruptedException {
        if (message instanceof Double seconds) {
            System.out.println("Sleeping " + format(seconds) + " second(s)...");
            // Blocking is fine: this worker JVM hosts nothing else, and the pool sends it one task
            // at a time while tasks take this long.
            Thread.sleep(Math.round(seconds * 1000));
            reply("Done sleeping..." + format(seconds));
        } else {
            unhandled(message);
        }
    }

    /** 5.0 as "5", 2.5 as "2.5": as Python prints the int or float it was given. */
    static String format(double seconds) {
        return BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString();
    }
}
