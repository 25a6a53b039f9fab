package io.procactor.internal.node;

import java.util.ArrayList;
import java.util.List;

/**
 * JVM options a procactor JVM started by us needs on the running JDK: newer JDKs warn on stderr
 * about Netty's native library (22+) and about Kryo's and Netty's use of Unsafe (24+) unless
 * allowed. {@code bin/procactor} applies the same rule to the node. Threading: stateless.
 */
public final class JdkFlags {
    private JdkFlags() {
    }

    public static List<String> forThisJdk() {
        int feature = Runtime.version().feature();
        List<String> flags = new ArrayList<>(2);
        if (feature >= 22) {
            flags.add("--enable-native-access=ALL-UNNAMED");
        }
        if (feature >= 24) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags;
    }
}
