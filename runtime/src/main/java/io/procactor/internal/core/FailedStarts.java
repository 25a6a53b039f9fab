package io.procactor.internal.core;

import io.procactor.internal.wire.Protocol;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why the latest actors of a process that could not start failed, by name, so that an ask which
 * reaches one after it has gone gets that cause, as the asks queued before it failed do, rather
 * than "no such actor". In a child whose actor fails to start, asks keep arriving until the node
 * learns of the exit. The {@link #LIMIT} latest only: a process that keeps creating actors that
 * fail must not grow; a name taken again is forgotten. Thread-safe.
 */
final class FailedStarts {
    static final int LIMIT = 64;

    private final Map<String, Protocol.Failure> byName = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Protocol.Failure> eldest) {
            return size() > LIMIT;
        }
    };

    synchronized void remember(String name, Protocol.Failure failure) {
        byName.remove(name); // to the end: the latest
        byName.put(name, failure);
    }

    synchronized void forget(String name) {
        byName.remove(name);
    }

    /** The failure of actor {@code name}'s start, or null. */
    synchronized Protocol.Failure of(String name) {
        return byName.get(name);
    }
}
