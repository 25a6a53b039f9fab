package io.procactor.transport;

import io.netty.channel.epoll.Epoll;
import io.netty.util.internal.PlatformDependent;
import java.util.Locale;
import java.util.Optional;

/**
 * The native library of the epoll transport: the name under which Netty asks
 * {@code System.loadLibrary} for it, and where its jar holds it. A launcher can copy it into a
 * directory on the {@code java.library.path} of the JVMs it starts: Netty loads it from there.
 * Otherwise Netty looks the library up in every jar of the class path (to warn of duplicates) and
 * copies it into a new temporary file in every JVM (measured on a child JVM with a 45-jar class
 * path, together with naming the selector provider: its main thread's start-up 150 to 120 ms of
 * CPU).
 *
 * <p>Immutable; thread-safe.
 *
 * @param fileName the library's file name, e.g. {@code libnetty_transport_native_epoll_x86_64.so}
 */
public record NativeLibrary(String fileName) {
    private static final String EPOLL = "netty_transport_native_epoll";
    // built at run time: a shading plugin that relocates Netty rewrites the string constant "io.netty." too
    private static final String NETTY_PACKAGE = String.join(".", "io", "netty", "");

    /**
     * The epoll transport's library on Linux. Empty elsewhere, and when Netty was relocated into
     * other packages (a shaded jar), whose library then has another name. Neither loads the
     * library nor checks that the jar holds it: see {@link #resourceName()}.
     */
    public static Optional<NativeLibrary> ofEpoll() {
        if (!Epoll.class.getName().startsWith(NETTY_PACKAGE)
                || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.empty();
        }
        // the name Netty's NativeLibraryLoader gives System.loadLibrary before it extracts the file from its jar
        return Optional.of(new NativeLibrary(System.mapLibraryName(EPOLL + "_" + PlatformDependent.normalizedArch())));
    }

    /** Where Netty's jar holds the library: a JVM's Netty extracts the first such resource of its class path. */
    public String resourceName() {
        return "META-INF/native/" + fileName;
    }
}
