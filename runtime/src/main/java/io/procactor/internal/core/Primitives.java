package io.procactor.internal.core;

/** Primitive types and their wrappers, for matching arguments to parameters. Threading: stateless. */
public final class Primitives {
    private Primitives() {
    }

    /** The wrapper of a primitive type ({@code int} gives {@code Integer}); any other type as it is. */
    public static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return switch (t.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            case "byte" -> Byte.class;
            case "char" -> Character.class;
            case "short" -> Short.class;
            default -> Void.class;
        };
    }
}
