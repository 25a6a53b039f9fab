package io.procactor.internal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The configuration files a node was started with, for {@code procactor ps}: every file (or class
 * path resource other than a {@code reference.conf}) that set a value of the effective
 * configuration, as Typesafe Config's origins tell, plus {@code -Dconfig.file} when given.
 * Stateless; thread-safe.
 */
public final class ConfigFiles {
    private ConfigFiles() {
    }

    /** Sorted paths or URLs; empty when every value came from defaults, system properties, the environment or overrides. */
    public static List<String> of(Config config, Properties systemProperties) {
        TreeSet<String> files = new TreeSet<>();
        collect(config.root(), files);
        String configFile = systemProperties.getProperty("config.file");
        if (configFile != null && !configFile.isBlank()) {
            files.add(configFile);
        }
        return List.copyOf(files);
    }

    private static void collect(ConfigValue value, TreeSet<String> files) {
        if (value instanceof ConfigObject o) {
            o.values().forEach(v -> collect(v, files));
        } else if (value instanceof ConfigList l) {
            l.forEach(v -> collect(v, files));
        } else if (value != null) {
            String file = file(value.origin());
            if (file != null) {
                files.add(file);
            }
        }
    }

    /** The file of one origin; null for reference.conf and for values not from a file. */
    static String file(ConfigOrigin origin) {
        if (origin.resource() != null) {
            if (origin.resource().endsWith("reference.conf")) {
                return null; // defaults of procactor or another library
            }
            return origin.url() != null ? origin.url().toString() : "classpath:" + origin.resource();
        }
        if (origin.filename() != null) {
            return origin.filename();
        }
        return origin.url() != null ? origin.url().toString() : null;
    }
}
