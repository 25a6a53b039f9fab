package io.procactor.transport.internal;

import java.util.List;

/**
 * Netty classes a process loads on some runs only, by timing or chance, loaded here on every run.
 * A class-data archive (CDS, or the JDK's AOT cache) holds the classes its writing process loaded;
 * a process that maps it and then needs a class the writer happened not to need loads that class
 * from its jar, and the JDK's class loader finds it by opening every jar of the class path before
 * Netty's: 10-15 ms of a cold child's start and the jars' directories in its memory. Measured in 20
 * cold children (class-load log): {@code IovArray} in 10 (several frames flushed in one gathering
 * write), the leak detector's record in 2 (a sampled buffer), {@code DefaultPromise$1} in 1, and in
 * 20 more with those loaded, {@code AbstractPooledDerivedByteBuf} in 1 (a frame split over two reads). Loading
 * a class from the archive costs microseconds. Thread-safe.
 */
public final class OccasionalClasses {
    static final List<String> NAMES = List.of(
            "io.netty.channel.unix.IovArray",
            "io.netty.util.ResourceLeakDetector$DefaultResourceLeak",
            "io.netty.util.ResourceLeakDetector$TraceRecord",
            "io.netty.util.ResourceLeakDetector$TraceRecord$1",
            "io.netty.util.concurrent.DefaultPromise$1",
            "io.netty.buffer.AbstractPooledDerivedByteBuf");

    private OccasionalClasses() {
    }

    /** Loads (without initializing) each class that exists in this Netty; another version may lack one. */
    public static void load() {
        ClassLoader loader = OccasionalClasses.class.getClassLoader();
        for (String name : NAMES) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this Netty version (or not loadable here): nothing to archive
            }
        }
    }
}
