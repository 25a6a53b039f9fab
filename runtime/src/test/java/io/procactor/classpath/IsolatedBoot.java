package io.procactor.classpath;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * What {@code mvn exec:java}, IDE and test runners do: the JVM's class path holds only this
 * launcher, which loads the application in a {@link URLClassLoader} of its own (parent: the
 * platform loader, so nothing of the JVM's class path leaks in) and calls its main method with that
 * loader as the context class loader. Uses JDK classes only: its class file alone is the class path.
 *
 * <p>Arguments: the application's class path (OS path separator), its main class, its arguments.
 */
public final class IsolatedBoot {
    private IsolatedBoot() {
    }

    public static void main(String[] args) throws Throwable {
        String[] entries = args[0].split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = Path.of(entries[i]).toUri().toURL();
        }
        URLClassLoader app = new URLClassLoader("isolated-app", urls, ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(app);
        String[] rest = java.util.Arrays.copyOfRange(args, 2, args.length);
        Class.forName(args[1], true, app).getMethod("main", String[].class).invoke(null, (Object) rest);
    }
}
