package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What users can reach: no public or protected member of a public type of {@code io.procactor}
 * (nor its supertypes) names an {@code io.procactor.internal} type. The runtime reaches what it
 * needs of the API package through {@code internal.core.ApiAccess} instead (issue 8: the
 * {@code ActorCell.Behavior} and {@code Props.constructor()} leaks).
 */
class ApiSurfaceTest {
    private static final Path API_PACKAGE = Path.of("src/main/java/io/procactor");
    private static final String INTERNAL = "io.procactor.internal.";

    @Test
    void theApiNamesNoInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        List<Class<?>> types = apiTypes();
        assertThat(types).as("public types found in " + API_PACKAGE.toAbsolutePath()).hasSizeGreaterThan(10);
        for (Class<?> c : types) {
            leaks.addAll(leaksOf(c));
        }
        assertThat(leaks).as("public or protected API members that name internal types").isEmpty();
    }

    @Test
    void propsOffersNoReflectionHandle() {
        assertThat(Props.class.getMethods()).as("public methods of Props")
                .noneMatch(m -> m.getReturnType() == Constructor.class);
    }

    @Test
    void theCellOffersActorsNoPublicHookButItsContext() {
        Class<?> cell = io.procactor.internal.core.ActorCell.class;
        assertThat(cell.getDeclaredClasses()).as("public nested types of ActorCell")
                .noneMatch(n -> Modifier.isPublic(n.getModifiers()));
        assertThat(cell.getDeclaredMethods()).as("public static methods of ActorCell")
                .noneMatch(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()));
        assertThat(cell.getDeclaredConstructors()).noneMatch(k -> Modifier.isPublic(k.getModifiers()));
    }

    @Test
    void theRuleRecognisesALeak() {
        assertThat(leaksOf(Leaky.class)).singleElement().asString().contains("leak").contains(INTERNAL);
    }

    /** Not API: a sample of what the rule must catch. */
    public static class Leaky {
        public io.procactor.internal.core.ActorCell leak() {
            return null;
        }

        io.procactor.internal.core.ActorCell packagePrivateIsFine() {
            return null;
        }
    }

    private static List<Class<?>> apiTypes() throws IOException, ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(API_PACKAGE)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("package-info.java")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".java", "");
                Class<?> c = Class.forName("io.procactor." + name, false, ApiSurfaceTest.class.getClassLoader());
                addPublic(c, types);
            }
        }
        return types;
    }

    private static void addPublic(Class<?> c, List<Class<?>> into) {
        if (!Modifier.isPublic(c.getModifiers())) {
            return;
        }
        into.add(c);
        for (Class<?> nested : c.getDeclaredClasses()) {
            addPublic(nested, into);
        }
    }

    private static List<String> leaksOf(Class<?> c) {
        List<String> leaks = new ArrayList<>();
        check(c.getName() + " extends", c.getGenericSuperclass(), leaks);
        for (Type i : c.getGenericInterfaces()) {
            check(c.getName() + " implements", i, leaks);
        }
        for (Field f : c.getDeclaredFields()) {
            if (visible(f)) {
                check(c.getName() + "." + f.getName(), f.getGenericType(), leaks);
            }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            checkExecutable(c.getName() + ".<init>", k, leaks);
        }
        for (Method m : c.getDeclaredMethods()) {
            if (!m.isSynthetic()) {
                checkExecutable(c.getName() + "." + m.getName(), m, leaks);
                check(c.getName() + "." + m.getName() + " returns", visible(m) ? m.getGenericReturnType() : null, leaks);
            }
        }
        return leaks;
    }

    private static void checkExecutable(String where, Executable e, List<String> leaks) {
        if (!visible(e)) {
            return;
        }
        for (Type p : e.getGenericParameterTypes()) {
            check(where + " parameter", p, leaks);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            check(where + " throws", x, leaks);
        }
    }

    private static boolean visible(Member m) {
        int mod = m.getModifiers();
        return Modifier.isPublic(mod) || Modifier.isProtected(mod);
    }

    private static void check(String where, Type t, List<String> leaks) {
        if (t != null && t.getTypeName().contains(INTERNAL)) {
            leaks.add(where + ": " + t.getTypeName());
        }
    }
}
