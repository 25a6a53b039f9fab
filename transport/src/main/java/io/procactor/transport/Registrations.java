package io.procactor.transport;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The table of classes that may cross a process boundary, each with an explicit id that is the
 * same in every JVM of a node (never derived from registration order). The node sends its table
 * to each child during the handshake.
 *
 * <p>Id ranges: 0-9 Kryo's own (primitives and {@code String}); 10-99 JDK types registered here
 * out of the box; 100-999 reserved for procactor itself; 1000 and up for applications.
 *
 * <p>Immutable and thread-safe; {@link Builder} is not thread-safe.
 */
public final class Registrations {
    /** The first id applications may use. */
    public static final int FIRST_APPLICATION_ID = 1000;
    /** The first id procactor's runtime uses for its own messages. */
    public static final int FIRST_RUNTIME_ID = 100;
    private static final int FIRST_FREE_ID = 10;

    /** One registered class. */
    public record Entry(int id, Class<?> type, WireCodec<?> codec) {
        public Entry {
            Objects.requireNonNull(type, "type");
        }
    }

    /** The form that travels in the handshake: id and class name. */
    public record TableEntry(int id, String className) {
    }

    private final Map<Integer, Entry> byId;         // sorted by id
    private final Map<Class<?>, Entry> byType;

    private Registrations(Map<Integer, Entry> byId) {
        this.byId = Collections.unmodifiableMap(new TreeMap<>(byId));
        Map<Class<?>, Entry> types = new HashMap<>();
        byId.values().forEach(e -> types.put(e.type(), e));
        this.byType = Collections.unmodifiableMap(types);
    }

    /**
     * The key under which serializable lambdas and method references are registered (see
     * {@link Builder#registerLambdas}): their classes are generated at run time, differ between
     * JVMs and cannot be registered one by one, so every lambda is written by one codec.
     */
    public static final Class<?> LAMBDAS = java.lang.invoke.SerializedLambda.class;

    /** A builder that already holds the JDK types people send. */
    public static Builder builder() {
        return new Builder().registerJdkDefaults();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        byId.values().forEach(e -> b.put(e));
        return b;
    }

    /** All entries, by ascending id. */
    public Collection<Entry> entries() {
        return byId.values();
    }

    public Optional<Entry> byType(Class<?> type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The table as it travels in the handshake. */
    public List<TableEntry> table() {
        List<TableEntry> t = new ArrayList<>(byId.size());
        byId.values().forEach(e -> t.add(new TableEntry(e.id(), e.type().getName())));
        return t;
    }

    /**
     * Merges a peer's table into this one: entries this side has must carry the same ids, and
     * classes only the peer registered are loaded by name from {@code loader}.
     *
     * @throws HandshakeException naming the conflicting id or the class that cannot be loaded
     */
    public Registrations adopt(List<TableEntry> peerTable, ClassLoader loader) {
        Map<Integer, Entry> merged = new TreeMap<>(byId);
        for (TableEntry te : peerTable) {
            Entry mine = byId.get(te.id());
            if (mine != null) {
                if (!mine.type().getName().equals(te.className())) {
                    throw new HandshakeException("registration id [" + te.id() + "] is [" + te.className()
                            + "] on the peer but [" + mine.type().getName() + "] here; every process must use the same table");
                }
                continue;
            }
            Class<?> type;
            try {
                type = Class.forName(te.className(), false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new HandshakeException("class [" + te.className() + "] (registration id " + te.id()
                        + ") cannot be loaded in this process; put it on the class path of every process", e);
            }
            Entry existing = byType.get(type);
            if (existing != null) {
                throw new HandshakeException("class [" + te.className() + "] has id [" + te.id() + "] on the peer but ["
                        + existing.id() + "] here; every process must use the same table");
            }
            merged.put(te.id(), new Entry(te.id(), type, null));
        }
        return merged.size() == byId.size() ? this : new Registrations(merged);
    }

    @Override
    public String toString() {
        return "Registrations" + table();
    }

    /** Collects registrations; rejects duplicate ids and classes registered twice. */
    public static final class Builder {
        private final Map<Integer, Entry> byId = new TreeMap<>();
        private final Map<Class<?>, Entry> byType = new HashMap<>();

        private Builder() {
        }

        /** Registers {@code type} under {@code id}, using Kryo's default serializer for it. */
        public Builder register(Class<?> type, int id) {
            return put(new Entry(id, type, null));
        }

        /** Registers {@code type} under {@code id} with a hand-written codec. */
        public <T> Builder register(Class<T> type, int id, WireCodec<T> codec) {
            return put(new Entry(id, type, Objects.requireNonNull(codec, "codec")));
        }

        /**
         * Registers the codec that writes and reads every lambda and method reference (their
         * classes are generated per JVM), under {@code id} and the key {@link #LAMBDAS}. Without
         * it, a lambda fails to encode as an unregistered class.
         */
        public Builder registerLambdas(int id, WireCodec<Object> codec) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Class<Object> key = (Class) LAMBDAS;
            return register(key, id, codec);
        }

        private Builder put(Entry e) {
            if (e.id() < FIRST_FREE_ID) {
                throw new IllegalArgumentException("registration id [" + e.id() + "] for [" + e.type().getName()
                        + "] is reserved for Kryo's built-in types; use an id of " + FIRST_APPLICATION_ID + " or more");
            }
            Entry sameId = byId.get(e.id());
            if (sameId != null && sameId.type() != e.type()) {
                throw new IllegalArgumentException("registration id [" + e.id() + "] is used by both ["
                        + sameId.type().getName() + "] and [" + e.type().getName() + "]; give each class its own id");
            }
            Entry sameType = byType.get(e.type());
            if (sameType != null && sameType.id() != e.id()) {
                throw new IllegalArgumentException("class [" + e.type().getName() + "] is registered with two ids, ["
                        + sameType.id() + "] and [" + e.id() + "]; register it once");
            }
            byId.put(e.id(), e);
            byType.put(e.type(), e);
            return this;
        }

        public Registrations build() {
            return new Registrations(byId);
        }

        private Builder registerJdkDefaults() {
            int id = FIRST_FREE_ID;
            // Arrays (ids 10-19).
            for (Class<?> c : List.of(byte[].class, int[].class, long[].class, double[].class, float[].class,
                    boolean[].class, char[].class, short[].class, String[].class, Object[].class)) {
                register(c, id++);
            }
            // Mutable collections (ids 20-29).
            id = 20;
            for (Class<?> c : List.of(ArrayList.class, LinkedList.class, HashMap.class, LinkedHashMap.class,
                    TreeMap.class, HashSet.class, LinkedHashSet.class, TreeSet.class, ArrayDeque.class)) {
                register(c, id++);
            }
            // Immutable and wrapper collections the JDK hands out (ids 30-49).
            id = 30;
            for (Class<?> c : List.of(List.of().getClass(), List.of(1).getClass(), List.of(1, 2, 3).getClass(),
                    Set.of().getClass(), Set.of(1).getClass(), Set.of(1, 2, 3).getClass(),
                    Map.of().getClass(), Map.of(1, 1).getClass(), Map.of(1, 1, 2, 2).getClass(),
                    Arrays.asList(1).getClass(), Collections.emptyList().getClass(), Collections.emptySet().getClass(),
                    Collections.emptyMap().getClass(), Collections.singletonList(1).getClass(),
                    Collections.singleton(1).getClass(), Collections.singletonMap(1, 1).getClass())) {
                if (!byType.containsKey(c)) {
                    register(c, id);
                }
                id++;
            }
            // Boxed primitives and value types (ids 50-79).
            id = 50;
            for (Class<?> c : List.of(Integer.class, Long.class, Double.class, Float.class, Boolean.class,
                    Byte.class, Character.class, Short.class, UUID.class, Duration.class, Instant.class,
                    LocalDate.class, LocalDateTime.class, BigInteger.class, BigDecimal.class, Optional.class)) {
                register(c, id++);
            }
            return this;
        }
    }
}
