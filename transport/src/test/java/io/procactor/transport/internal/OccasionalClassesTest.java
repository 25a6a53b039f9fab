package io.procactor.transport.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

class OccasionalClassesTest {

    /** A Netty upgrade that renames one would silently bring back the jar scan it avoids. */
    @Test
    void everyNamedClassExistsInThisNetty() {
        for (String name : OccasionalClasses.NAMES) {
            assertDoesNotThrow(() -> Class.forName(name, false, OccasionalClasses.class.getClassLoader()), name);
        }
    }
}
