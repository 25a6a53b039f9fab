package io.procactor.internal.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The classes of one package on a class loader's class path, for registration by package: found
 * through the loader's resources (directories and jars), sorted by name so that ids are the same
 * on every run. Sub-packages are not included (a package is not a tree in Java). Anonymous, local,
 * synthetic and hidden classes are left out: they cannot be registered.
 *
 * <p>Stateless; thread-safe.
 */
public final class PackageClasses {
    private PackageClasses() {
    }

    /**
     * The classes of {@code packageName}, sorted by name.
     *
     * @throws IllegalArgumentException if the name is not a package name, the package has no classes on
     *                                  the class path, or one of its classes cannot be loaded; the message says which and what to do
     */
    public static List<Class<?>> of(String packageName, ClassLoader loader) {
        if (packageName == null || !packageName.matches("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
                + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*")) {
            throw new IllegalArgumentException("[" + packageName + "] is not a package name; give one like \"com.acme.messages\"");
        }
        String dir = packageName.replace('.', '/');
        TreeSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(dir);
            while (roots.hasMoreElements()) {
                collect(roots.nextElement(), dir, packageName, names);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list package [" + packageName + "] on the class path: " + e, e);
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            Class<?> c;
            try {
                c = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalArgumentException("class [" + name + "] of package [" + packageName + "] cannot be loaded: " + e
                        + "; fix the class path, or register the package's classes one by one", e);
            }
            if (!c.isAnonymousClass() && !c.isLocalClass() && !c.isSynthetic() && !c.isHidden()) {
                classes.add(c);
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("package [" + packageName + "] has no classes on the class path of this JVM; check its "
                    + "name (sub-packages are not included: register each package that holds classes)");
        }
        return classes;
    }

    private static void collect(URL root, String dir, String packageName, TreeSet<String> names) throws IOException {
        switch (root.getProtocol()) {
            case "file" -> {
                Path path;
                try {
                    path = Path.of(root.toURI());
                } catch (URISyntaxException e) {
                    throw new IOException("bad class path URL [" + root + "]", e);
                }
                try (Stream<Path> files = Files.list(path)) {
                    files.map(p -> p.getFileName().toString())
                            .filter(PackageClasses::isClassFile)
                            .forEach(f -> names.add(packageName + "." + f.substring(0, f.length() - ".class".length())));
                }
            }
            case "jar" -> {
                URLConnection connection = root.openConnection();
                connection.setUseCaches(false); // our own JarFile, closed here: the loader's stays untouched
                try (JarFile jar = ((JarURLConnection) connection).getJarFile()) {
                    String prefix = dir + "/";
                    for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                        String entry = entries.nextElement().getName();
                        if (entry.startsWith(prefix) && entry.indexOf('/', prefix.length()) < 0
                                && isClassFile(entry.substring(prefix.length()))) {
                            names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
                        }
                    }
                }
            }
            default -> {
                // other sources (a custom loader's own URLs) cannot be listed; their classes can still be registered one by one
            }
        }
    }

    private static boolean isClassFile(String fileName) {
        return fileName.endsWith(".class") && !fileName.equals("package-info.class") && !fileName.equals("module-info.class");
    }
}
