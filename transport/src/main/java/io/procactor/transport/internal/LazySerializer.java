package io.procactor.transport.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Stands in for a registered class's default serializer until the class is first written or read
 * (or asked whether it accepts null, which decides how a null is written), then makes it as
 * {@code Kryo.register(type, id)} would have, bounds it ({@link BoundedSerializers}) and puts it in
 * the registration. Every thread that encodes or decodes builds its own Kryo with the whole table,
 * and a field serializer reflects over its class's fields as it is made. Made eagerly, a cold child's
 * three Kryos (I/O thread, main thread, dispatcher; the runtime's 112 classes, of which it uses a
 * handful) took 22-36, 22-31 and 6-10 ms; lazily 8-14, 8-13 and 0.7-2.5 ms. A class whose serializer
 * cannot be made (fields Kryo may not reach) fails its own messages only. Confined to its Kryo's
 * thread, as the Kryo is.
 */
final class LazySerializer<T> extends Serializer<T> {
    private final Kryo kryo;
    private Registration registration;
    private Serializer<T> real;

    private LazySerializer(Kryo kryo) {
        this.kryo = kryo;
    }

    /**
     * Registers {@code type} under {@code id} with its serializer made on first use; a class Kryo
     * already has (its own built-in types) keeps its registration, as with {@code Kryo.register(type, id)}.
     */
    static Registration register(Kryo kryo, Class<?> type, int id) {
        Registration existing = kryo.getClassResolver().getRegistration(type);
        if (existing != null) {
            BoundedSerializers.bound(kryo, existing);
            return existing;
        }
        LazySerializer<?> lazy = new LazySerializer<>(kryo);
        lazy.registration = kryo.register(new Registration(type, lazy, id));
        return lazy.registration;
    }

    /** The serializer {@code registration} uses, made now if it is still lazy. */
    static Serializer<?> resolved(Registration registration) {
        return registration.getSerializer() instanceof LazySerializer<?> lazy ? lazy.real() : registration.getSerializer();
    }

    @SuppressWarnings("unchecked")
    private Serializer<T> real() {
        Serializer<T> s = real;
        if (s == null) {
            registration.setSerializer(kryo.getDefaultSerializer(registration.getType()));
            BoundedSerializers.bound(kryo, registration);
            s = real = (Serializer<T>) registration.getSerializer();
        }
        return s;
    }

    @Override
    public void write(Kryo kryo, Output output, T object) {
        real().write(kryo, output, object);
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
        return real().read(kryo, input, type);
    }

    @Override
    public T copy(Kryo kryo, T original) {
        return real().copy(kryo, original);
    }

    @Override
    public boolean getAcceptsNull() {
        return real().getAcceptsNull();
    }

    @Override
    public void setAcceptsNull(boolean acceptsNull) {
        real().setAcceptsNull(acceptsNull);
    }

    @Override
    public boolean isImmutable() {
        return real().isImmutable();
    }

    @Override
    public void setImmutable(boolean immutable) {
        real().setImmutable(immutable);
    }
}
