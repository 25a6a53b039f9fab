package io.procactor.transport;

import io.netty.channel.epoll.Epoll;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The native library of the epoll transport, as this JVM's class path packages it, for a launcher
 * that starts JVMs on the same class path: put {@link #fileName()} in a directory on their
 * {@code java.library.path} and they load it from there. Otherwise Netty copies it out of its jar
 * into a temporary file in every JVM it starts, and first looks the jar up across the whole class
 * path (measured on a child JVM with a 45-jar class path, together with naming the selector
 * provider: its main thread's start-up 150 to 120 ms of CPU).
 *
 * <p>Immutable; thread-safe.
 *
 * @param fileName the library's file name, e.g. {@code libnetty_transport_native_epoll_x86_64.so}
 * @param source   where the class path holds it (a {@code jar:} URL)
 */
public record NativeLibrary(String fileName, URL source) {
    private static final String EPOLL = "netty_transport_native_epoll";

    /**
     * The epoll transport's library, if this JVM loaded it from a jar. Empty off Linux, when epoll
     * is unavailable, and when Netty was relocated into other packages (a shaded jar), whose
     * library then has another name.
     */
    public static Optional<NativeLibrary> ofEpoll() {
        if (!Epoll.class.getName().startsWith("io.netty.") || !Epoll.isAvailable()) {
            return Optional.empty();
        }
        // the name Netty's NativeLibraryLoader asks System.loadLibrary for, before it extracts the file from its jar
        String fileName = System.mapLibraryName(EPOLL + "_" + PlatformDependent.normalizedArch());
        ClassLoader loader = Epoll.class.getClassLoader();
        URL url = loader == null ? null : loader.getResource("META-INF/native/" + fileName);
        return url == null || !"jar".equals(url.getProtocol()) ? Optional.empty() : Optional.of(new NativeLibrary(fileName, url));
    }

    /** The jar file holding the library, if it is a local file. */
    public Optional<Path> jar() {
        try {
            URL jar = ((JarURLConnection) source.openConnection()).getJarFileURL();
            return "file".equals(jar.getProtocol()) ? Optional.of(Path.of(jar.toURI())) : Optional.empty();
        } catch (IOException | URISyntaxException | ClassCastException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The library's bytes. */
    public byte[] read() throws IOException {
        try (InputStream in = source.openStream()) {
            return in.readAllBytes();
        }
    }
}
