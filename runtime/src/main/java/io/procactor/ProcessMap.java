package io.procactor;

import io.procactor.internal.wire.ChannelMessages;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named map that every process of a system can read and update (Python's
 * {@code Manager().dict()}); made by {@link ActorSystem#map}. This object is a small handle: pass
 * it to another process inside a message or as a {@link Props} argument. The map lives in an actor
 * of the node and every call is one round trip to it, so each call is atomic: use
 * {@link #addAndGet} for counters and {@link #replace(Object, Object, Object)} (compare and set)
 * for other read-modify-write updates. There is no {@code compute(key, fn)}: it would ship code
 * to the node; loop on {@code get} and {@code replace} instead.
 *
 * <p>Keys and values must be registered message types; keys compare with {@code equals} after
 * crossing processes, so use values (strings, numbers, records). {@code null} keys and values are
 * refused.
 *
 * <p>Thread-safe: any thread of any process may call any method.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ProcessMap<K, V> {
    private final String name;
    private final ActorRef host;
    private final long system;

    ProcessMap(String name, ActorRef host, long system) {
        this.name = name;
        this.host = host;
        this.system = system;
    }

    /** The name given to {@link ActorSystem#map}. */
    public String name() {
        return name;
    }

    /** The value of {@code key}, or null. */
    public V get(K key) {
        return value(ChannelMessages.GET, key(key), null, null);
    }

    /** Sets {@code key} to {@code value}; returns the previous value, or null. */
    public V put(K key, V value) {
        return value(ChannelMessages.PUT, key(key), value(value), null);
    }

    /** Sets {@code key} to {@code value} unless it has a value; returns the value it had, or null when it was set. */
    public V putIfAbsent(K key, V value) {
        return value(ChannelMessages.PUT_IF_ABSENT, key(key), value(value), null);
    }

    /** Removes {@code key}; returns its value, or null. */
    public V remove(K key) {
        return value(ChannelMessages.REMOVE, key(key), null, null);
    }

    /**
     * Compare and set: sets {@code key} to {@code value} only if its value equals {@code expected}
     * ({@code null}: only if it has none); returns whether it did.
     */
    public boolean replace(K key, V expected, V value) {
        return (Boolean) call(ChannelMessages.REPLACE, key(key), value(value), expected);
    }

    /**
     * Adds {@code delta} to the {@code Long} value of {@code key} (absent counts as 0) and returns
     * the sum, atomically: increments from many processes sum exactly.
     *
     * @throws IllegalArgumentException if the key holds something other than a Long
     */
    public long addAndGet(K key, long delta) {
        return (Long) call(ChannelMessages.ADD, key(key), delta, null);
    }

    /**
     * Sets {@code key} to {@code fn(old value)} atomically, in the process hosting the map (Python:
     * {@code with lock: d[k] = f(d.get(k))}); {@code old} is null when the key is absent, and a null
     * result removes the key. Returns the new value. {@code fn} crosses to the host like a function
     * task: it must be a method reference or lambda of a registered class (see {@link Task} and
     * {@link ActorSystem.Builder#register(Class[])}), its captured values registered types. It runs
     * on the host's one thread: keep it short and don't let it wait.
     *
     * @throws IllegalArgumentException if {@code fn} threw (the key is left as it was; the message names the exception),
     *     or returned a value that cannot cross processes, or is not allowed to cross
     */
    @SuppressWarnings("unchecked")
    public V compute(K key, Task.Fn<? super V, ? extends V> fn) {
        Objects.requireNonNull(fn, () -> what() + ": compute needs a function, got null");
        return value(ChannelMessages.COMPUTE, key(key), fn, null);
    }

    /**
     * Java's {@code Map.merge}, atomically in the host: sets {@code key} to {@code value} when absent,
     * else to {@code fn(old, value)} (null removes the key); returns the new value. {@code fn}
     * follows the rules of {@link #compute}.
     *
     * @throws IllegalArgumentException like {@link #compute}
     */
    public V merge(K key, V value, Task.Fn2<? super V, ? super V, ? extends V> fn) {
        Objects.requireNonNull(fn, () -> what() + ": merge needs a function, got null");
        return value(ChannelMessages.MERGE, key(key), value(value), fn);
    }

    /** The number of keys now. */
    public int size() {
        return (Integer) call(ChannelMessages.MAP_SIZE, null, null, null);
    }

    /** The keys now, a copy. */
    @SuppressWarnings("unchecked")
    public List<K> keys() {
        return (List<K>) call(ChannelMessages.KEYS, null, null, null);
    }

    /** The whole map now, a copy (Python's {@code dict(d)}). */
    @SuppressWarnings("unchecked")
    public Map<K, V> snapshot() {
        return (Map<K, V>) call(ChannelMessages.SNAPSHOT, null, null, null);
    }

    /** Removes every key. */
    public void clear() {
        call(ChannelMessages.CLEAR_MAP, null, null, null);
    }

    @SuppressWarnings("unchecked")
    private V value(int op, Object key, Object value, Object expected) {
        return (V) ((ChannelMessages.Value) call(op, key, value, expected)).value();
    }

    private Object call(int op, Object key, Object value, Object expected) {
        return Channels.quick(what(), host, new ChannelMessages.MapOp(system, op, key, value, expected));
    }

    private K key(K key) {
        return Objects.requireNonNull(key, () -> what() + ": key must not be null");
    }

    private V value(V value) {
        return Objects.requireNonNull(value, () -> what() + ": value must not be null; use remove(key) to delete a key");
    }

    private String what() {
        return "map [" + name + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessMap<?, ?> m && m.host.equals(host) && m.system == system;
    }

    @Override
    public int hashCode() {
        return host.hashCode();
    }

    @Override
    public String toString() {
        return "ProcessMap[" + name + "]";
    }
}
