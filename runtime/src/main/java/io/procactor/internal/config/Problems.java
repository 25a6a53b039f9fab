package io.procactor.internal.config;

import io.procactor.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.function.Supplier;

/**
 * The configuration problems one check finds, first found first: a check records each rule broken
 * and goes on, so that one run reports them all. A problem at or under a key path already reported
 * is left out: a section of the wrong type, then each key under it, is one mistake, and a key read
 * twice is reported once. Not thread-safe: one per check, used by one thread.
 */
public final class Problems {
    private final Map<String, ConfigurationException> byPath = new LinkedHashMap<>();

    /** Records {@code problem} at {@code path}, unless a problem at or above {@code path} is recorded already. */
    public void add(String path, ConfigurationException problem) {
        if (!has(path)) {
            byPath.put(path, problem);
        }
    }

    /**
     * The result of {@code read}, or null if it fails with a {@link ConfigurationException}, which
     * is recorded at {@code path}; null without calling it if {@code path} or a key above it has a
     * problem already.
     */
    public <T> T attempt(String path, Supplier<T> read) {
        if (has(path)) {
            return null;
        }
        try {
            return read.get();
        } catch (ConfigurationException e) {
            add(path, e);
            return null;
        }
    }

    /** Runs {@code check}, recording its failure at {@code path}; whether it passed. */
    public boolean check(String path, Runnable check) {
        return attempt(path, () -> {
            check.run();
            return Boolean.TRUE;
        }) != null;
    }

    /** Whether a problem is recorded at {@code path} or at a key above it. */
    public boolean has(String path) {
        for (String p : byPath.keySet()) {
            if (path.equals(p) || path.startsWith(p + ".") || path.startsWith(p + "[")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a problem is recorded at {@code path} or at a key under it. */
    public boolean hasUnder(String path) {
        for (String p : byPath.keySet()) {
            if (p.equals(path) || p.startsWith(path + ".") || p.startsWith(path + "[")) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return byPath.isEmpty();
    }

    /**
     * Throws what was found: the one problem as it is, or one exception whose message lists every
     * problem, one per line in the order found (each one added as suppressed, for its stack trace).
     */
    public void throwIfAny() {
        if (!byPath.isEmpty()) {
            throw combine(new ArrayList<>(byPath.values()));
        }
    }

    /** One exception for {@code problems} (at least one): the only one, or their messages one per line. */
    public static ConfigurationException combine(List<ConfigurationException> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        List<String> lines = problems.stream().map(Throwable::getMessage).toList();
        ConfigurationException all = new ConfigurationException(String.join("\n", lines), problems.get(0).getCause());
        problems.forEach(all::addSuppressed);
        return all;
    }
}
