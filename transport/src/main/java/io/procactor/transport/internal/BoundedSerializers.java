package io.procactor.transport.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.BooleanArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.ArraysAsListSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.ConcurrentSkipListMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.PriorityQueueSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TreeMapSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.TreeSetSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Replaces the Kryo serializers that allocate from a declared count with ones that check the
 * count first, writing the same bytes. Kryo's own read a count and then allocate what it says
 * ({@code new ArrayList<>(n)}, {@code new HashMap<>(n)}, {@code new Object[n]}): six bytes could
 * make a JVM allocate gigabytes. Counts of collections and maps are claimed from the message's
 * element budget ({@link BoundedInput#claimElements}; the sender counts the same elements in
 * {@link BoundedOutput}); arrays whose elements take at least a byte each are checked against the
 * bytes left. Strings and primitive arrays are checked by {@link BoundedInput} itself.
 *
 * <p>Stateless; the serializers it makes are as thread-safe as Kryo's (one Kryo per thread).
 */
final class BoundedSerializers {
    private BoundedSerializers() {
    }

    /** Puts a bounded serializer on {@code registration} where its current one allocates from a count. */
    static void bound(Kryo kryo, Registration registration) {
        Serializer<?> bounded = boundedFor(kryo, registration.getType(), registration.getSerializer());
        if (bounded != null) {
            registration.setSerializer(bounded);
        }
    }

    /** Whether {@code serializer} is one of the bounded replacements. */
    static boolean isBounded(Serializer<?> serializer) {
        return serializer.getClass().getEnclosingClass() == BoundedSerializers.class;
    }

    private static Serializer<?> boundedFor(Kryo kryo, Class<?> type, Serializer<?> current) {
        Class<?> c = current.getClass();
        // Exact classes only: a subclass may read another format.
        if (c == CollectionSerializer.class) {
            return new AnyCollections();
        }
        if (c == MapSerializer.class) {
            return new AnyMaps();
        }
        if (c == TreeSetSerializer.class) {
            return new TreeSets();
        }
        if (c == PriorityQueueSerializer.class) {
            return new PriorityQueues();
        }
        if (c == TreeMapSerializer.class) {
            return new TreeMaps();
        }
        if (c == ConcurrentSkipListMapSerializer.class) {
            return new SkipListMaps();
        }
        if (c == ArraysAsListSerializer.class) {
            return new ArraysAsLists();
        }
        if (c == ImmutableCollectionsSerializers.JdkImmutableListSerializer.class) {
            return new ImmutableLists();
        }
        if (c == ImmutableCollectionsSerializers.JdkImmutableSetSerializer.class) {
            return new ImmutableSets();
        }
        if (c == ImmutableCollectionsSerializers.JdkImmutableMapSerializer.class) {
            return new ImmutableMaps();
        }
        if (c == ObjectArraySerializer.class) {
            return new ObjectArrays(kryo, type);
        }
        if (c == StringArraySerializer.class) {
            return new StringArrays();
        }
        if (c == BooleanArraySerializer.class) {
            return new BooleanArrays();
        }
        return null;
    }

    private static void claimOnRead(Input input, int count, Class<?> type) {
        if (input instanceof BoundedInput b) {
            b.claimElements(count, type);
        }
    }

    private static void claimOnWrite(Output output, Object collectionOrMap) {
        if (output instanceof BoundedOutput b && collectionOrMap != null) {
            b.declareElements(collectionOrMap instanceof Map<?, ?> m ? m.size() : ((Collection<?>) collectionOrMap).size());
        }
    }

    /** Arrays start with an unsigned varint of length + 1 (0 for null); each element then takes at least a byte. */
    private static void checkArrayLength(Input input, String what) {
        if (input instanceof BoundedInput b) {
            b.checkArrayLength(what);
        }
    }

    // --- collections ------------------------------------------------------------------------------

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class AnyCollections extends CollectionSerializer<Collection> {
        @Override
        protected Collection create(Kryo kryo, Input input, Class<? extends Collection> type, int size) {
            claimOnRead(input, size, type);
            return super.create(kryo, input, type, size);
        }

        @Override
        public void write(Kryo kryo, Output output, Collection collection) {
            claimOnWrite(output, collection);
            super.write(kryo, output, collection);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class TreeSets extends TreeSetSerializer {
        @Override
        protected TreeSet create(Kryo kryo, Input input, Class<? extends TreeSet> type, int size) {
            claimOnRead(input, size, type);
            return super.create(kryo, input, type, size);
        }

        @Override
        public void write(Kryo kryo, Output output, TreeSet collection) {
            claimOnWrite(output, collection);
            super.write(kryo, output, collection);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class PriorityQueues extends PriorityQueueSerializer {
        @Override
        protected PriorityQueue create(Kryo kryo, Input input, Class<? extends PriorityQueue> type, int size) {
            claimOnRead(input, size, type);
            return super.create(kryo, input, type, size);
        }

        @Override
        public void write(Kryo kryo, Output output, PriorityQueue collection) {
            claimOnWrite(output, collection);
            super.write(kryo, output, collection);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class ArraysAsLists extends ArraysAsListSerializer {
        @Override
        protected List create(Kryo kryo, Input input, Class type, int size) {
            claimOnRead(input, size, type);
            return super.create(kryo, input, type, size);
        }

        @Override
        public void write(Kryo kryo, Output output, List collection) {
            claimOnWrite(output, collection);
            super.write(kryo, output, collection);
        }
    }

    /** Same bytes as Kryo's {@code JdkImmutableListSerializer} (which is final): no nulls, rebuilt with {@code List.of}. */
    static final class ImmutableLists extends CollectionSerializer<List<Object>> {
        ImmutableLists() {
            setElementsCanBeNull(false);
        }

        @Override
        protected List<Object> create(Kryo kryo, Input input, Class<? extends List<Object>> type, int size) {
            claimOnRead(input, size, type);
            return new ArrayList<>(size);
        }

        @Override
        public void write(Kryo kryo, Output output, List<Object> collection) {
            claimOnWrite(output, collection);
            super.write(kryo, output, collection);
        }

        @Override
        public List<Object> read(Kryo kryo, Input input, Class<? extends List<Object>> type) {
            List<Object> list = super.read(kryo, input, type);
            return list == null ? null : List.of(list.toArray());
        }
    }

    /** Same bytes as Kryo's {@code JdkImmutableSetSerializer}: no nulls, rebuilt with {@code Set.of}. */
    static final class ImmutableSets extends CollectionSerializer<Set<Object>> {
        ImmutableSets() {
            setElementsCanBeNull(false);
        }

        @Override
        protected Set<Object> create(Kryo kryo, Input input, Class<? extends Set<Object>> type, int size) {
            claimOnRead(input, size, type);
            return new HashSet<>();
        }

        @Override
        public void write(Kryo kryo, Output output, Set<Object> collection) {
            claimOnWrite(output, collection);
            super.write(kryo, output, collection);
        }

        @Override
        public Set<Object> read(Kryo kryo, Input input, Class<? extends Set<Object>> type) {
            Set<Object> set = super.read(kryo, input, type);
            return set == null ? null : Set.of(set.toArray());
        }
    }

    // --- maps -------------------------------------------------------------------------------------

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class AnyMaps extends MapSerializer<Map> {
        @Override
        protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
            claimOnRead(input, size, type);
            return super.create(kryo, input, type, size);
        }

        @Override
        public void write(Kryo kryo, Output output, Map map) {
            claimOnWrite(output, map);
            super.write(kryo, output, map);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class TreeMaps extends TreeMapSerializer {
        @Override
        protected TreeMap create(Kryo kryo, Input input, Class<? extends TreeMap> type, int size) {
            claimOnRead(input, size, type);
            return super.create(kryo, input, type, size);
        }

        @Override
        public void write(Kryo kryo, Output output, TreeMap map) {
            claimOnWrite(output, map);
            super.write(kryo, output, map);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class SkipListMaps extends ConcurrentSkipListMapSerializer {
        @Override
        protected ConcurrentSkipListMap create(Kryo kryo, Input input, Class<? extends ConcurrentSkipListMap> type, int size) {
            claimOnRead(input, size, type);
            return super.create(kryo, input, type, size);
        }

        @Override
        public void write(Kryo kryo, Output output, ConcurrentSkipListMap map) {
            claimOnWrite(output, map);
            super.write(kryo, output, map);
        }
    }

    /** Same bytes as Kryo's {@code JdkImmutableMapSerializer}: no null keys or values, rebuilt with {@code Map.copyOf}. */
    static final class ImmutableMaps extends MapSerializer<Map<Object, Object>> {
        ImmutableMaps() {
            setKeysCanBeNull(false);
            setValuesCanBeNull(false);
        }

        @Override
        protected Map<Object, Object> create(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type, int size) {
            claimOnRead(input, size, type);
            return new HashMap<>();
        }

        @Override
        public void write(Kryo kryo, Output output, Map<Object, Object> map) {
            claimOnWrite(output, map);
            super.write(kryo, output, map);
        }

        @Override
        public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
            Map<Object, Object> map = super.read(kryo, input, type);
            return map == null ? null : Map.copyOf(map);
        }
    }

    // --- arrays that the serializer allocates itself ---------------------------------------------------

    /** Each element is written with a class id or a null marker, so it takes at least a byte. */
    @SuppressWarnings("rawtypes") // overrides Kryo's raw signature
    static final class ObjectArrays extends ObjectArraySerializer {
        ObjectArrays(Kryo kryo, Class<?> type) {
            super(kryo, type);
        }

        @Override
        public Object[] read(Kryo kryo, Input input, Class type) {
            checkArrayLength(input, type.getComponentType().getName() + "[]");
            return super.read(kryo, input, type);
        }
    }

    @SuppressWarnings("rawtypes") // overrides Kryo's raw signature
    static final class StringArrays extends StringArraySerializer {
        @Override
        public String[] read(Kryo kryo, Input input, Class type) {
            checkArrayLength(input, "String[]");
            return super.read(kryo, input, type);
        }
    }

    @SuppressWarnings("rawtypes") // overrides Kryo's raw signature
    static final class BooleanArrays extends BooleanArraySerializer {
        @Override
        public boolean[] read(Kryo kryo, Input input, Class type) {
            checkArrayLength(input, "boolean[]");
            return super.read(kryo, input, type);
        }
    }
}
