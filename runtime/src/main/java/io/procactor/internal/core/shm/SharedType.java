package io.procactor.internal.core.shm;

/**
 * The kinds of shared object, each with its wire code (never the ordinal), its element size in
 * the segment and the API class name that error messages use.
 *
 * <p>Immutable.
 */
public enum SharedType {
    INT(1, 4, "SharedInt", false),
    LONG(2, 8, "SharedLong", false),
    DOUBLE(3, 8, "SharedDouble", false),
    INT_ARRAY(4, 4, "SharedIntArray", true),
    LONG_ARRAY(5, 8, "SharedLongArray", true),
    DOUBLE_ARRAY(6, 8, "SharedDoubleArray", true),
    LOCK(7, 8, "SharedLock", false),
    /** The ring buffers of a queue or pipe (internal/channels); its length is in bytes. */
    RING(8, 1, "ring", true);

    private final int code;
    private final int elementBytes;
    private final String apiName;
    private final boolean array;

    SharedType(int code, int elementBytes, String apiName, boolean array) {
        this.code = code;
        this.elementBytes = elementBytes;
        this.apiName = apiName;
        this.array = array;
    }

    public int code() {
        return code;
    }

    public int elementBytes() {
        return elementBytes;
    }

    public String apiName() {
        return apiName;
    }

    public boolean isArray() {
        return array;
    }

    /** @throws IllegalArgumentException for a code no type has (a corrupt handle or segment) */
    public static SharedType of(int code) {
        for (SharedType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown shared object type code [" + code + "]");
    }
}
