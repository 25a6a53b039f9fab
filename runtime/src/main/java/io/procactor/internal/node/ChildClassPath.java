package io.procactor.internal.node;

import io.procactor.ProcessOptions;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class path of a node's child JVMs. {@code java.class.path} alone is wrong whenever a
 * launcher loads the application in a class loader of its own ({@code mvn exec:java}, IDE and test
 * runners, Spring Boot's nested jars): there it names the launcher, and every child would fail with
 * "Could not find or load main class". So the node asks where the classes actually came from:
 *
 * <ol>
 *   <li>a process's {@link ProcessOptions#classPath} or {@code procactor.child.class-path}: exactly that;</li>
 *   <li>otherwise, found: the code sources of the runtime's classes (the child's main class,
 *       the transport, Netty, Kryo and its helpers, Typesafe Config, SLF4J), then the URLs of the
 *       runtime's and the context class loader's {@link URLClassLoader} chains, then
 *       {@code java.class.path}; for a spawned actor, its class's code source and its loader's
 *       chain are appended when missing.</li>
 * </ol>
 *
 * Entries appear once, in that order, and only if they exist. A jar nested in a jar is replaced by
 * its copy in the private cache ({@link NestedJars}).
 *
 * <p>Thread-safe: the system's class path is found once, when the node starts; an actor class's
 * once per class (a concurrent map); the rest is immutable.
 */
final class ChildClassPath {
    private static final Logger log = LoggerFactory.getLogger(ChildClassPath.class);

    /** What a user can do about a child that misses a class: every way to set the class path. */
    static final String FIX = "set the children's class path with ProcessOptions.classPath(...) or procactor.child.class-path "
            + "(bin/procactor: run --class-path PATH, or class-path = [...] in the topology file)";

    /** One class of each jar the child loads; those absent here are skipped. */
    private static final List<String> RUNTIME_CLASSES = List.of(
            "io.procactor.internal.child.ChildMain",
            "io.procactor.transport.Transport",
            "com.esotericsoftware.kryo.Kryo",
            "com.esotericsoftware.minlog.Log",
            "com.esotericsoftware.reflectasm.MethodAccess",
            "org.objenesis.Objenesis",
            "com.typesafe.config.Config",
            "org.slf4j.Logger",
            "org.agrona.concurrent.BackoffIdleStrategy");
    /** Every Netty jar has this resource, the native ones (no classes, only a library) included. */
    private static final List<String> RUNTIME_RESOURCES = List.of("META-INF/io.netty.versions.properties");

    /** The class path a child gets, and where it comes from (for error messages). */
    record Chosen(String value, String source) {
    }

    private final Chosen system;
    private final Set<Path> systemEntries;
    private final NestedJars nested;
    private final Map<Class<?>, Chosen> byActorClass = new ConcurrentHashMap<>();

    private ChildClassPath(Chosen system, Set<Path> systemEntries, NestedJars nested) {
        this.system = system;
        this.systemEntries = systemEntries;
        this.nested = nested;
    }

    /**
     * The class path of this node's children: {@code configured} ({@code procactor.child.class-path})
     * if not empty, else found from this JVM's class loaders.
     */
    static ChildClassPath create(List<Path> configured, NestedJars nested) {
        if (!configured.isEmpty()) {
            List<Path> abs = configured.stream().map(p -> p.toAbsolutePath().normalize()).toList();
            return new ChildClassPath(new Chosen(join(abs), "procactor.child.class-path"), null, nested);
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        Set<Path> found = new Finder(nested).found(ChildClassPath.class.getClassLoader(), context,
                System.getProperty("java.class.path", ""));
        return new ChildClassPath(new Chosen(join(found), "found by procactor"), Collections.unmodifiableSet(found), nested);
    }

    /** The class path of children that set none of their own and host no class from elsewhere. */
    Chosen forSystem() {
        return system;
    }

    /** The class path of a child with {@code options} that hosts an {@code actorClass}. */
    Chosen forProcess(ProcessOptions options, Class<?> actorClass) {
        if (!options.classPath().isEmpty()) {
            return new Chosen(join(options.classPath().stream().map(p -> p.toAbsolutePath().normalize()).toList()),
                    "ProcessOptions.classPath");
        }
        if (systemEntries == null || actorClass == null) {
            return system; // configured: exactly what the user said
        }
        return byActorClass.computeIfAbsent(actorClass, c -> {
            Set<Path> extra = new Finder(nested).ofClass(c);
            extra.removeAll(systemEntries);
            if (extra.isEmpty()) {
                return system;
            }
            log.debug("Children hosting [{}] also get {}", c.getName(), extra);
            List<Path> all = new ArrayList<>(systemEntries);
            all.addAll(extra);
            return new Chosen(join(all), system.source());
        });
    }

    /** The first entries of {@code classPath} and how many there are in all, for an error message. */
    static String describe(String classPath) {
        List<String> entries = classPath.isEmpty() ? List.of() : List.of(classPath.split(File.pathSeparator));
        int shown = 6;
        if (entries.size() <= shown && classPath.length() <= 1200) {
            return "[" + classPath + "]";
        }
        return "[" + String.join(File.pathSeparator, entries.subList(0, Math.min(shown, entries.size())))
                + File.pathSeparator + "... (" + entries.size() + " entries in all)]";
    }

    private static String join(Iterable<Path> entries) {
        List<String> s = new ArrayList<>();
        entries.forEach(p -> s.add(p.toString()));
        return String.join(File.pathSeparator, s);
    }

    /** Finds the existing entries, in order, once each. One instance per search, on one thread. */
    static final class Finder {
        private final NestedJars nested;
        private final Set<Path> out = new LinkedHashSet<>();

        Finder(NestedJars nested) {
            this.nested = nested;
        }

        /** The system's class path, as the class javadoc orders it. */
        Set<Path> found(ClassLoader runtime, ClassLoader context, String javaClassPath) {
            for (String name : RUNTIME_CLASSES) {
                try {
                    codeSource(Class.forName(name, false, runtime));
                } catch (ClassNotFoundException | LinkageError absent) {
                    log.debug("[{}] is not loadable here: its jar is not looked for", name);
                }
            }
            for (String resource : RUNTIME_RESOURCES) {
                try {
                    Enumeration<URL> urls = runtime.getResources(resource);
                    while (urls.hasMoreElements()) {
                        String u = urls.nextElement().toString();
                        add(u.substring(0, u.length() - resource.length()));
                    }
                } catch (IOException e) {
                    log.debug("Could not list [{}]: {}", resource, e.toString());
                }
            }
            chain(runtime);
            chain(context);
            for (String e : javaClassPath.split(File.pathSeparator)) {
                if (!e.isBlank()) {
                    keep(Path.of(e));
                }
            }
            return out;
        }

        /** Where {@code c} came from and what its loader's chain holds. */
        Set<Path> ofClass(Class<?> c) {
            codeSource(c);
            chain(c.getClassLoader());
            return out;
        }

        private void codeSource(Class<?> c) {
            CodeSource cs = c.getProtectionDomain() == null ? null : c.getProtectionDomain().getCodeSource();
            if (cs != null && cs.getLocation() != null) {
                add(cs.getLocation().toString());
            }
        }

        /** The URLs of each {@link URLClassLoader} from the outermost parent in: a parent's classes win. */
        private void chain(ClassLoader loader) {
            List<ClassLoader> loaders = new ArrayList<>();
            for (ClassLoader l = loader; l != null && l != ClassLoader.getSystemClassLoader()
                    && l != ClassLoader.getPlatformClassLoader(); l = l.getParent()) {
                loaders.add(l);
            }
            Collections.reverse(loaders);
            for (ClassLoader l : loaders) {
                if (l instanceof URLClassLoader u) {
                    for (URL url : u.getURLs()) {
                        add(url.toString());
                    }
                }
            }
        }

        /**
         * A location as a class loader gives it: {@code file:/x.jar}, {@code file:/dir/},
         * {@code jar:file:/x.jar!/}, a nested jar ({@code jar:file:/app.jar!/BOOT-INF/lib/y.jar!/},
         * Spring Boot 3.2's {@code jar:nested:/app.jar/!BOOT-INF/lib/y.jar!/}) or directory in a
         * jar ({@code ...!/BOOT-INF/classes!/}, {@code nested:/app.jar/!BOOT-INF/classes/}).
         */
        void add(String location) {
            try {
                String u = location;
                if (u.startsWith("jar:")) {
                    u = u.substring(4);
                }
                while (u.endsWith("!/")) {
                    u = u.substring(0, u.length() - 2);
                }
                if (u.startsWith("nested:")) {
                    String rest = u.substring("nested:".length());
                    int bang = rest.indexOf("/!");
                    if (bang < 0) {
                        keep(Path.of(decode(rest)));
                    } else {
                        copyOf(Path.of(decode(rest.substring(0, bang))), decode(rest.substring(bang + 2)));
                    }
                } else if (u.startsWith("file:")) {
                    int bang = u.indexOf("!/");
                    if (bang < 0) {
                        keep(Path.of(URI.create(u)));
                    } else {
                        copyOf(Path.of(URI.create(u.substring(0, bang))), decode(u.substring(bang + 2)).replace("!/", "/"));
                    }
                } else {
                    log.debug("Class path entry [{}] is no file: a child cannot use it", location);
                }
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                log.debug("Class path entry [{}] is not a path: {}", location, e.toString());
            }
        }

        private void copyOf(Path outer, String entry) {
            if (entry.isEmpty() || entry.equals("/")) {
                keep(outer);
                return;
            }
            try {
                keep(nested.extract(outer, entry));
            } catch (IOException e) {
                log.warn("Children cannot use [{}] inside [{}]: {}; if a child misses a class, {}", entry, outer, e.getMessage(), FIX);
            }
        }

        private void keep(Path p) {
            if (Files.exists(p)) {
                out.add(p.toAbsolutePath().normalize());
            }
        }

        private static String decode(String s) {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
    }

    /** The class path the children of a system get, one entry a line: for debugging and tests. */
    @Override
    public String toString() {
        return system.value().replace(File.pathSeparator, "\n");
    }

    /** Every entry of the system's class path (for tests). */
    List<String> systemEntries() {
        return List.of(system.value().split(File.pathSeparator)).stream().filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }
}
