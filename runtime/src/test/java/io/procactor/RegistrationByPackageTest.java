package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.bypackage.Messages;
import io.procactor.internal.node.PackageClasses;
import io.procactor.transport.Registrations;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Registration by package, in code and in config: every class of the package on the class path
 * (directories and jars), ids in class-name order; a package without classes is an error. No
 * child JVM starts here.
 */
class RegistrationByPackageTest {
    private static final ClassLoader LOADER = RegistrationByPackageTest.class.getClassLoader();

    private static List<String> applicationClasses(ActorSystem system) {
        return system.node().registrations().entries().stream()
                .filter(e -> e.id() >= Registrations.FIRST_APPLICATION_ID)
                .map(e -> e.id() + " " + e.type().getName()).collect(Collectors.toList());
    }

    @Test
    void aPackageInADirectoryGivesItsClassesSortedByNameWithoutSubPackages() {
        List<Class<?>> classes = PackageClasses.of("io.procactor.bypackage", LOADER);

        assertThat(classes).containsExactly(Messages.class, Messages.Alpha.class, Messages.Beta.class);
    }

    @Test
    void aPackageInAJarIsFoundToo() {
        List<String> names = PackageClasses.of("com.typesafe.config", LOADER).stream().map(Class::getName).collect(Collectors.toList());

        assertThat(names).contains("com.typesafe.config.Config", "com.typesafe.config.ConfigFactory").isSorted()
                .noneMatch(n -> n.startsWith("com.typesafe.config.impl."));
    }

    @Test
    void aPackageWithoutClassesOrABadNameIsAClearError() {
        assertThatThrownBy(() -> ActorSystem.builder("none").registerPackage("com.example.nothing.here"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("package [com.example.nothing.here] has no classes on the class path");
        assertThatThrownBy(() -> ActorSystem.builder("bad").registerPackage("com..example"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[com..example] is not a package name");
    }

    @Test
    void registerPackageInCodeGivesIdsInNameOrder() {
        try (ActorSystem system = ActorSystem.builder("by-package").registerPackage("io.procactor.bypackage").build()) {
            assertThat(applicationClasses(system)).containsExactly("1000 " + Messages.class.getName(),
                    "1001 " + Messages.Alpha.class.getName(), "1002 " + Messages.Beta.class.getName());
        }
    }

    @Test
    void packagesInConfigAreRegisteredAndAnEmptyOneFailsAtStart() {
        String config = "procactor.serialization.packages = [\"io.procactor.bypackage\"]";
        try (ActorSystem system = ActorSystem.create("by-package-config", ConfigFactory.parseString(config))) {
            assertThat(applicationClasses(system)).hasSize(3).first().asString().endsWith(Messages.class.getName());
        }
        assertThatThrownBy(() -> ActorSystem.create("empty", ConfigFactory.parseString(
                "procactor.serialization.packages = [\"com.example.nothing.here\"]")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("procactor.serialization.packages")
                .hasMessageContaining("package [com.example.nothing.here] has no classes");
    }
}
