package io.procactor.internal.channels;

import io.procactor.ExitStatus;
import io.procactor.Task;
import io.procactor.internal.core.ProcessWatch;
import io.procactor.internal.wire.ChannelMessages;
import io.procactor.internal.wire.ChannelMessages.MapOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Hosts a managed map ({@code ActorSystem.map}, Python's {@code Manager().dict()}). Each operation
 * is one message to this actor, so each is atomic: {@code replace(key, expected, value)} and
 * {@code addAndGet(key, delta)}, {@code compute} and {@code merge} update a key without another process slipping in between. Keys
 * compare with {@code equals} after crossing processes, so they should be values (strings,
 * numbers, records).
 *
 * <p>Threading: an actor; one message at a time.
 */
public final class MapHost extends HostActor {
    private final Map<Object, Object> map = new HashMap<>();

    public MapHost(String name, long system) {
        super("map [" + name + "]", system);
    }

    @Override
    protected void handle(ChannelMessages.Op op) {
        if (!(op instanceof MapOp m)) {
            unhandled(op);
            return;
        }
        if ((m.key() != null && !encodable(m.key())) || (m.value() != null && !encodable(m.value()))) {
            return;
        }
        switch (m.op()) {
            case ChannelMessages.GET -> reply(new ChannelMessages.Value(map.get(m.key())));
            case ChannelMessages.PUT -> reply(new ChannelMessages.Value(map.put(m.key(), m.value())));
            case ChannelMessages.PUT_IF_ABSENT -> reply(new ChannelMessages.Value(map.putIfAbsent(m.key(), m.value())));
            case ChannelMessages.REMOVE -> reply(new ChannelMessages.Value(map.remove(m.key())));
            case ChannelMessages.REPLACE -> reply(replace(m));
            case ChannelMessages.ADD -> add(m);
            case ChannelMessages.KEYS -> reply(new ArrayList<>(map.keySet()));
            case ChannelMessages.SNAPSHOT -> reply(new HashMap<>(map));
            case ChannelMessages.CLEAR_MAP -> {
                map.clear();
                reply(Boolean.TRUE);
            }
            case ChannelMessages.MAP_SIZE -> reply(map.size());
            case ChannelMessages.COMPUTE, ChannelMessages.MERGE -> compute(m);
            default -> unhandled(op);
        }
    }

    /** Compare-and-set: {@code expected} null means "absent". */
    private boolean replace(MapOp m) {
        if (!Objects.equals(map.get(m.key()), m.expected())) {
            return false;
        }
        map.put(m.key(), m.value());
        return true;
    }

    /**
     * Runs the caller's function here, inside this actor, so that nothing else touches the key
     * meanwhile. Only functions of registered classes reach this point (the wire refuses others;
     * a function from the node itself is checked by {@code encodable}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void compute(MapOp m) {
        Object fn = m.op() == ChannelMessages.COMPUTE ? m.value() : m.expected();
        if (m.op() == ChannelMessages.MERGE && !encodable(fn)) {
            return;
        }
        Object old = map.get(m.key());
        Object now;
        try {
            if (m.op() == ChannelMessages.COMPUTE) {
                now = ((Task.Fn) fn).apply(old);
            } else {
                now = old == null ? m.value() : ((Task.Fn2) fn).apply(old, m.value());
            }
        } catch (RuntimeException | Error e) {
            refuse(ChannelMessages.MISUSE, "the function given to " + (m.op() == ChannelMessages.COMPUTE ? "compute" : "merge")
                    + " of key [" + m.key() + "] of " + what + " threw " + e + "; the key was left as it was");
            return;
        }
        if (now != null) {
            try {
                ProcessWatch.requireEncodable(self(), now);
            } catch (RuntimeException e) {
                refuse(ChannelMessages.MISUSE, "the function given for key [" + m.key() + "] of " + what + " returned ["
                        + now.getClass().getName() + "], which cannot cross processes: " + e.getMessage()
                        + "; the key was left as it was");
                return;
            }
            map.put(m.key(), now);
        } else {
            map.remove(m.key());
        }
        reply(new ChannelMessages.Value(now));
    }

    private void add(MapOp m) {
        Object old = map.getOrDefault(m.key(), 0L);
        if (!(old instanceof Long n)) {
            refuse(ChannelMessages.MISUSE, "key [" + m.key() + "] of " + what + " holds a " + old.getClass().getName()
                    + " (" + old + "), not a Long, so addAndGet cannot add to it; put a Long there or use another key");
            return;
        }
        long sum = n + (Long) m.value();
        map.put(m.key(), sum);
        reply(sum);
    }

    @Override
    protected void expired(long id) {
        // nothing waits in a map
    }

    @Override
    protected void refuseWaiting(ChannelMessages.Refused refusal) {
        // nothing waits in a map
    }

    @Override
    protected void processExited(String process, ExitStatus status) {
        // nothing waits in a map
    }
}
