package io.procactor.internal.pool;

import java.util.Arrays;
import java.util.List;

/** A routee for routing tests: a name, whether it takes work, its load. Immutable. */
record Slot(String name, boolean takesWork, int load) implements RoutingLogic.Routee {

    static Slot up(String name) {
        return new Slot(name, true, 0);
    }

    static Slot up(String name, int load) {
        return new Slot(name, true, load);
    }

    /** Retiring or exited: in its slot, but takes no work. */
    static Slot down(String name) {
        return new Slot(name, false, 0);
    }

    /** The pool's slots by index; null for a slot left empty. */
    static List<Slot> slots(Slot... slots) {
        return Arrays.asList(slots);
    }

    @Override
    public String toString() {
        return name;
    }
}
