package io.procactor.internal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.procactor.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Loads the configuration from its layers and renders it. Layers, strongest first:
 *
 * <ol>
 *   <li>system properties ({@code -Dprocactor.transport.kind=tcp});
 *   <li>environment overrides: variables named {@code CONFIG_FORCE_<path>}, Typesafe Config's
 *       convention ({@code _} is {@code .}, {@code __} is {@code -}, {@code ___} is {@code _}):
 *       {@code CONFIG_FORCE_procactor_transport_max__frame__size="1 MiB"};
 *   <li>{@code --set key=value} overrides of the command line, the last one winning;
 *   <li>the topology file;
 *   <li>{@code $procactor.home/config/application.conf} (the command line's);
 *   <li>{@code application.conf} on the class path (or {@code -Dconfig.file} / {@code -Dconfig.resource});
 *   <li>{@code reference.conf}: every key, documented, with its default.
 * </ol>
 *
 * <p>The merged layers are resolved together, so a substitution in one layer sees the others.
 * Errors (syntax, unresolved substitutions, a bad {@code --set}) are {@link ConfigurationException}s
 * naming where they come from. Stateless and thread-safe.
 */
public final class ConfigLoader {
    /** The root of procactor's settings. */
    public static final String ROOT = "procactor";
    /**
     * System properties that launchers and tests set under {@code procactor.} and that are not
     * settings ({@code procactor.home}: the installation, {@code procactor.child}: set in child
     * JVMs, {@code procactor.test...}: test markers); they are left out of the configuration.
     * {@code procactor.child} is one only as a plain value: the keys under it
     * ({@code procactor.child.class-path}) are settings.
     */
    public static final List<String> NOT_SETTINGS = List.of("procactor.home", "procactor.child", "procactor.test");
    private static final String CHILD = "procactor.child";
    /** How the origin of a {@code --set key=value} value starts: {@code --set key=value}. */
    public static final String SET_ORIGIN = "--set ";
    /** Prefix of environment variables that override configuration keys. */
    public static final String ENV_PREFIX = "CONFIG_FORCE_";

    private ConfigLoader() {
    }

    /** Where a configuration comes from. {@code topology} and {@code applicationFile} may be null. */
    public record Sources(Properties systemProperties, Map<String, String> environment, List<String> overrides,
                          Config topology, Path applicationFile, ClassLoader classLoader) {
        public Sources {
            Objects.requireNonNull(systemProperties, "systemProperties");
            environment = Map.copyOf(environment);
            overrides = List.copyOf(overrides);
            classLoader = classLoader != null ? classLoader : ConfigLoader.class.getClassLoader();
        }

        /** This JVM's system properties and environment and the class path; no overrides, topology or file. */
        public static Sources defaults() {
            return new Sources(System.getProperties(), System.getenv(), List.of(), null, null,
                    Thread.currentThread().getContextClassLoader());
        }

        public Sources withOverrides(List<String> keyValues) {
            return new Sources(systemProperties, environment, keyValues, topology, applicationFile, classLoader);
        }

        public Sources withTopology(Config topologyConfig) {
            return new Sources(systemProperties, environment, overrides, topologyConfig, applicationFile, classLoader);
        }

        public Sources withApplicationFile(Path file) {
            return new Sources(systemProperties, environment, overrides, topology, file, classLoader);
        }

        public Sources withEnvironment(Map<String, String> env) {
            return new Sources(systemProperties, env, overrides, topology, applicationFile, classLoader);
        }

        public Sources withSystemProperties(Properties props) {
            return new Sources(props, environment, overrides, topology, applicationFile, classLoader);
        }
    }

    /** The configuration of {@code ActorSystem.create(name)}: system properties, environment overrides, application.conf, reference.conf. */
    public static Config load() {
        return load(Sources.defaults());
    }

    /** Merges the layers of {@code s} (strongest first, see the class comment) and resolves them together. */
    public static Config load(Sources s) {
        try {
            Config merged = systemProperties(s.systemProperties())
                    .withFallback(environmentOverrides(s.environment()))
                    .withFallback(overrides(s.overrides()))
                    .withFallback(s.topology() == null ? ConfigFactory.empty() : s.topology())
                    .withFallback(s.applicationFile() == null ? ConfigFactory.empty() : parseFile(s.applicationFile()))
                    .withFallback(ConfigFactory.defaultApplication(s.classLoader()))
                    // unresolved: defaultReference() would bring all system properties along (NOT_SETTINGS included)
                    .withFallback(ConfigFactory.defaultReferenceUnresolved(s.classLoader()));
            return merged.resolve();
        } catch (ConfigException e) {
            throw wrap(e);
        }
    }

    /** Parses a HOCON file (includes relative to it); a syntax error names file and line. */
    public static Config parseFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("configuration file [" + file + "] "
                    + (Files.exists(file) ? "is not a regular file" : "does not exist"));
        }
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw wrap(e);
        }
    }

    /** The system-property layer: every property except {@link #NOT_SETTINGS}; each {@code procactor.*} one with its own origin. */
    public static Config systemProperties(Properties properties) {
        Properties copy = (Properties) properties.clone();
        Properties others = new Properties();
        Config ours = ConfigFactory.empty();
        // longer keys first: when both procactor.a and procactor.a.b are set, the object wins, as in Typesafe Config
        for (String key : new TreeMap<>(asStrings(copy)).descendingMap().keySet()) {
            String value = copy.getProperty(key);
            if (value == null || isNotSetting(key)) {
                continue;
            }
            if (key.startsWith(ROOT + ".")) {
                try {
                    ours = ours.withFallback(ConfigFactory.parseMap(Map.of(key, value), "system property -D" + key));
                } catch (ConfigException e) {
                    throw new ConfigurationException("system property -D" + key + " is not a valid key path: " + e.getMessage(), e);
                }
            } else {
                others.setProperty(key, value);
            }
        }
        return ours.withFallback(ConfigFactory.parseProperties(others,
                ConfigParseOptions.defaults().setOriginDescription("system properties")));
    }

    private static Map<String, String> asStrings(Properties p) {
        Map<String, String> m = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
        }
        return m;
    }

    /** Whether {@code path} is a launcher or test property rather than a setting. */
    public static boolean isNotSetting(String path) {
        for (String n : NOT_SETTINGS) {
            if (path.equals(n) || path.startsWith(n + ".") && !n.equals(CHILD)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The environment layer: every {@code CONFIG_FORCE_<mangled path>} variable of {@code env}, as
     * Typesafe Config's {@code ConfigFactory.systemEnvironmentOverrides()} reads them, but each
     * value remembers its variable for error messages.
     */
    public static Config environmentOverrides(Map<String, String> env) {
        Config c = ConfigFactory.empty();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || name.length() == ENV_PREFIX.length()) {
                continue;
            }
            String path = envPath(name);
            try {
                c = ConfigFactory.parseMap(Map.of(path, e.getValue()), "environment variable " + name).withFallback(c);
            } catch (ConfigException ex) {
                throw new ConfigurationException("environment variable " + name + " does not name a valid key path (was ["
                        + path + "]): " + ex.getMessage() + "; in the name, _ stands for '.', __ for '-' and ___ for '_'", ex);
            }
        }
        return c;
    }

    /** {@code CONFIG_FORCE_a_b__c___d} is {@code a.b-c_d}. */
    static String envPath(String variable) {
        String s = variable.substring(ENV_PREFIX.length());
        StringBuilder b = new StringBuilder();
        int underscores = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : 0;
            if (c == '_') {
                underscores++;
                continue;
            }
            if (underscores > 3) {
                throw new ConfigurationException("environment variable " + variable + " has " + underscores
                        + " underscores in a row; _ stands for '.', __ for '-' and ___ for '_'");
            }
            b.append(switch (underscores) {
                case 1 -> ".";
                case 2 -> "-";
                case 3 -> "_";
                default -> "";
            });
            underscores = 0;
            if (c != 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The layer of {@code --set key=value} options, the last one winning. The value is HOCON (a
     * number, a boolean, a list {@code [a, b]}, a quoted string, a substitution {@code ${key}});
     * anything else is taken as a plain string.
     */
    public static Config overrides(List<String> keyValues) {
        Config c = ConfigFactory.empty();
        for (String kv : keyValues) {
            c = override(kv).withFallback(c);
        }
        return c;
    }

    private static Config override(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new ConfigurationException("--set [" + kv + "] is not key=value; e.g. --set procactor.topology.pools.workers.size=3");
        }
        String key = kv.substring(0, eq).trim();
        String raw = kv.substring(eq + 1).trim();
        List<String> path;
        try {
            path = ConfigUtil.splitPath(key);
        } catch (ConfigException e) {
            throw new ConfigurationException("--set [" + kv + "]: [" + key + "] is not a valid key path; write it like "
                    + "procactor.transport.kind", e);
        }
        String origin = SET_ORIGIN + kv;
        ConfigValue value = null;
        if (!raw.contains("//") && !raw.contains("#") && !raw.contains("\n")) {
            try {
                value = ConfigFactory.parseString("v = " + raw, ConfigParseOptions.defaults().setOriginDescription(origin))
                        .root().get("v");
            } catch (ConfigException notHocon) {
                // a plain string after all
            }
        }
        if (value == null) {
            value = ConfigValueFactory.fromAnyRef(raw);
        }
        if (value.valueType() != ConfigValueType.OBJECT) {
            value = value.withOrigin(ConfigOriginFactory.newSimple(origin));
        }
        // the sections above the value say where they come from too ("withValue(...)" otherwise):
        // "procactor.topology.pools.workrs.actor is missing (set at --set ...)"
        for (int i = path.size() - 1; i >= 0; i--) {
            value = ConfigValueFactory.fromMap(Map.of(path.get(i), value), origin);
        }
        return ((ConfigObject) value).toConfig();
    }

    /** A Typesafe Config error as a ConfigurationException, keeping its origin (file and line). */
    public static ConfigurationException wrap(ConfigException e) {
        String message = e.getMessage();
        if (e instanceof ConfigException.UnresolvedSubstitution) { // a subclass of Parse
            message = "unresolved substitution in " + message + "; define the key it refers to or use ${?key} for an optional one";
        } else if (e instanceof ConfigException.Parse) {
            message = "syntax error in " + message;
        }
        return new ConfigurationException(message, e);
    }
}
