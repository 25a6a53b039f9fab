package io.procactor.internal.core;

import java.util.regex.Pattern;

/** Rules for process and actor names: they appear in paths, logs and socket file names. */
public final class Names {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private Names() {
    }

    /** Whether {@code name} is a valid process, pool or actor name. */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    public static void check(String name, String what) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name [" + name + "] is invalid; use 1 to 64 letters, digits, '.', '_' "
                    + "or '-', starting with a letter or digit");
        }
    }
}
