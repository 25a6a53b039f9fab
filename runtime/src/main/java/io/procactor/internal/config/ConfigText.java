package io.procactor.internal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Configuration as text, for messages and listings: values as written, where each was set, key
 * paths joined and quoted, the known key a misspelled one was meant to be, and a whole subtree
 * rendered one key per line with secrets masked. Stateless; thread-safe.
 */
public final class ConfigText {
    private static final Pattern SECRET = Pattern.compile("(?i)password|secret|token");
    private static final String MASK = "********";

    private ConfigText() {
    }

    // ---- rendering ----

    /**
     * The subtree at {@code path} as HOCON, one {@code key = value} line per setting in key order;
     * values of keys containing password, secret or token are masked. With {@code origins}, each
     * line ends with a comment saying where its value was set.
     */
    public static String render(Config config, String path, boolean origins) {
        if (!config.hasPath(path)) {
            return "";
        }
        ConfigValue root = config.getValue(path);
        List<String[]> rows = new ArrayList<>();
        if (root.valueType() != ConfigValueType.OBJECT) {
            rows.add(row(path, root));
        } else {
            List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(((ConfigObject) root).toConfig().entrySet());
            entries.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
            for (Map.Entry<String, ConfigValue> e : entries) {
                String key = path + "." + e.getKey();
                if (!ConfigLoader.isNotSetting(key)) {
                    rows.add(row(key, e.getValue()));
                }
            }
        }
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            String line = r[0];
            if (origins) {
                line = String.format("%-" + Math.min(width, 100) + "s  # %s", line, r[1]);
            }
            b.append(line).append('\n');
        }
        return b.toString();
    }

    private static String[] row(String path, ConfigValue v) {
        String shown = isSecret(path) ? ConfigValueFactory.fromAnyRef(MASK).render(ConfigRenderOptions.concise())
                : v.render(ConfigRenderOptions.concise());
        return new String[] {path + " = " + shown, where(v.origin())};
    }

    /** Whether a key's value must not be shown: its path contains password, secret or token. */
    public static boolean isSecret(String path) {
        return SECRET.matcher(path).find();
    }

    /** {@code file: line}, {@code resource: line}, or the origin's description (system property, --set, environment variable). */
    public static String where(ConfigOrigin o) {
        if (o == null) {
            return "unknown origin";
        }
        String name = o.resource() != null ? o.resource() : o.filename();
        if (name == null && o.url() != null) {
            name = o.url().toString();
        }
        if (name == null) {
            return o.description();
        }
        return o.lineNumber() > 0 ? name + ": " + o.lineNumber() : name;
    }

    /** A value as it appears in messages: scalars as written, lists and objects as JSON. */
    public static String show(ConfigValue v) {
        if (v == null) {
            return "null";
        }
        return switch (v.valueType()) {
            case OBJECT, LIST -> v.render(ConfigRenderOptions.concise());
            case NULL -> "null";
            default -> String.valueOf(v.unwrapped());
        };
    }

    // ---- did you mean ----

    /**
     * The key of {@code known} that {@code unknown} was most likely meant to be: one with the same
     * last segment, else the nearest by edit distance if it is near enough; null if none is.
     */
    public static String closest(String unknown, Collection<String> known) {
        String last = lastSegment(unknown);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            if (lastSegment(k).equals(last)) {
                int d = distance(unknown, k);
                if (d < bestDistance) {
                    best = k;
                    bestDistance = d;
                }
            }
        }
        if (best != null) {
            return best;
        }
        for (String k : known) {
            int d = distance(unknown, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, last.length() / 2) ? best : null;
    }

    static String lastSegment(String path) {
        try {
            List<String> parts = ConfigUtil.splitPath(path);
            return parts.get(parts.size() - 1);
        } catch (ConfigException e) {
            int dot = path.lastIndexOf('.');
            return dot < 0 ? path : path.substring(dot + 1);
        }
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Joins a parent path and a key, quoting the key if it needs it. */
    public static String join(String parent, String key) {
        String k = ConfigUtil.joinPath(key);
        return parent.isEmpty() ? k : parent + "." + k;
    }

    /** Whether {@code v} was given to {@code --set} (it is, or is inside, a {@code --set} value). */
    public static boolean isFromSet(ConfigValue v) {
        return v != null && v.origin() != null && v.origin().description().startsWith(ConfigLoader.SET_ORIGIN);
    }

    /** {@code " (set at <origin>)"} for the messages, or nothing when there is no value. */
    public static String origin(ConfigValue v) {
        return v == null ? "" : " (set at " + where(v.origin()) + ")";
    }

    /** The value at {@code path}, null values included, without resolving or converting; null if absent. */
    public static ConfigValue raw(Config c, String path) {
        ConfigValue v = c.root();
        for (String part : ConfigUtil.splitPath(path)) {
            if (!(v instanceof ConfigObject o)) {
                return null;
            }
            v = o.get(part);
            if (v == null) {
                return null;
            }
        }
        return v;
    }
}
