package io.procactor.internal.topology;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.procactor.ConfigurationException;
import io.procactor.internal.config.ConfigText;
import io.procactor.internal.config.Problems;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The checks the topology readers share: known keys with a did-you-mean, typed values, and the
 * message of a rule broken: {@code <path> <rule>, was [<value>] (set at <origin>)}. Stateless;
 * thread-safe.
 */
final class HoconChecks {
    private HoconChecks() {
    }

    /** Records each key of {@code o} not in {@code allowed}, with the closest allowed one. */
    static void checkKeys(ConfigObject o, String path, Set<String> allowed, String what, Problems problems) {
        for (String key : new TreeSet<>(o.keySet())) {
            if (allowed.contains(key)) {
                continue;
            }
            String full = ConfigText.join(path, key);
            List<String> known = allowed.stream().map(k -> path + "." + k).sorted().toList();
            String guess = ConfigText.closest(full, known);
            String hint = guess != null ? "; did you mean " + guess + "?" : "";
            if (what.equals("a pool") && key.equals("restart")) {
                hint = "; a pool replaces dead workers itself (see retries), so it has no restart policy";
            }
            problems.add(full, new ConfigurationException(full + " is not a key of " + what + ConfigText.origin(o.get(key)) + hint
                    + " Known keys: " + allowed.stream().sorted().collect(Collectors.joining(", "))));
        }
    }

    static ConfigObject object(ConfigValue v, String path, String rule) {
        if (v == null || v.valueType() != ConfigValueType.OBJECT) {
            throw invalid(v, path, rule);
        }
        return (ConfigObject) v;
    }

    static String string(ConfigValue v, String path, String rule) {
        if (v == null || v.valueType() != ConfigValueType.STRING) {
            throw invalid(v, path, rule);
        }
        return (String) v.unwrapped();
    }

    static int intBetween(ConfigValue v, String path, int min, int max, String rule) {
        Object u = v.unwrapped();
        if (u instanceof String s) { // "3" from an environment variable or --set "3"
            try {
                u = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw invalid(v, path, rule);
            }
        }
        if (!(u instanceof Integer || u instanceof Long) || ((Number) u).longValue() < min || ((Number) u).longValue() > max) {
            throw invalid(v, path, rule);
        }
        return ((Number) u).intValue();
    }

    static Duration duration(ConfigValue v, String path, boolean zeroAllowed, String rule) {
        Duration d;
        try {
            d = ConfigFactory.empty().withValue("d", v).getDuration("d");
        } catch (ConfigException e) {
            throw invalid(v, path, rule);
        }
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw invalid(v, path, rule);
        }
        return d;
    }

    /** {@code <path> <rule>, was [<value>] (set at <origin>)}. */
    static ConfigurationException invalid(ConfigValue v, String path, String rule) {
        return new ConfigurationException(path + " " + rule + ", was [" + (v == null ? "missing" : ConfigText.show(v)) + "]"
                + ConfigText.origin(v));
    }



    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
