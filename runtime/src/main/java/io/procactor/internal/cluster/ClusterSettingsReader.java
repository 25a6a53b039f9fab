package io.procactor.internal.cluster;

import static io.procactor.internal.config.ConfigText.origin;
import static io.procactor.internal.config.ConfigText.raw;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.procactor.ConfigurationException;
import io.procactor.internal.config.ConfigText;
import io.procactor.internal.config.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads {@code procactor.cluster}: every problem is recorded (key, rule, value, where it was set)
 * and thrown together. The secret's value never appears in a message. One instance per read, on
 * one thread.
 */
final class ClusterSettingsReader {
    private static final String P = "procactor.cluster.";
    private static final String URL_RULE = "must be zookeeper://host:port[,host:port...][/path] (e.g. "
            + "zookeeper://zk1:2181,zk2:2181,zk3:2181/procactor)";
    /** A ZooKeeper path segment we accept: no spaces, no slashes, nothing ZooKeeper reserves. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Duration MIN_SESSION = Duration.ofMillis(200);
    static final Duration MAX_SESSION = Duration.ofMinutes(10);
    static final int MIN_SECRET_LENGTH = 16;

    private final Config c;
    private final Problems problems = new Problems();

    private ClusterSettingsReader(Config c) {
        this.c = c;
    }

    static ClusterSettings read(Config c) {
        return new ClusterSettingsReader(c).read();
    }

    private ClusterSettings read() {
        String modeText = string("mode", "must be one of local, embedded, zookeeper (or a zookeeper:// URL)");
        String urlText = string("url", URL_RULE + ", or empty");
        ClusterMode mode = null;
        String url = urlText;
        if (modeText != null) {
            String m = modeText.trim();
            if (m.startsWith("zookeeper://")) { // the shorthand: the URL as the mode
                mode = ClusterMode.ZOOKEEPER;
                url = m;
            } else {
                for (ClusterMode each : ClusterMode.values()) {
                    if (each.configName().equalsIgnoreCase(m)) {
                        mode = each;
                    }
                }
                if (mode == null) {
                    problems.add(P + "mode", invalid("mode", "must be one of local, embedded, zookeeper (or a zookeeper:// URL)"));
                }
            }
        }
        String connect = "";
        String path = ClusterSettings.DEFAULT_PATH;
        if (mode == ClusterMode.ZOOKEEPER && url != null) {
            String key = modeText.trim().startsWith("zookeeper://") ? "mode" : "url";
            String theUrl = url.trim();
            String[] parsed = problems.attempt(P + key, () -> parseUrl(key, theUrl));
            if (parsed != null) {
                connect = parsed[0];
                path = parsed[1];
            }
        } else if (mode != null && mode != ClusterMode.ZOOKEEPER && url != null && !url.isBlank()) {
            problems.add(P + "url", invalid("url", "is only read with procactor.cluster.mode = zookeeper (mode is "
                    + mode.configName() + "); set mode = zookeeper or remove the url"));
        }
        Duration session = duration("session-timeout", MIN_SESSION, MAX_SESSION);
        Duration connectTimeout = duration("connect-timeout", Duration.ofMillis(100), Duration.ofHours(1));
        String host = string("host", "must be a host name or address (empty = this machine's host name)");
        if (host != null && !host.isBlank() && !HOST.matcher(host.trim()).matches()) {
            problems.add(P + "host", invalid("host", "must be a host name or address of letters, digits, '.', '-', '_' "
                    + "(empty = this machine's host name)"));
        }
        Map<String, String> labels = labels();
        String bind = string("embedded.bind", "must be the address the embedded ZooKeeper listens on (e.g. 127.0.0.1)");
        Integer port = port("embedded.port");
        String secret = secret(mode);
        String clusterBind = clusterBind();
        ClusterSettings.Role role = role();
        boolean plainTcp = insecurePlainTcp();
        problems.throwIfAny();
        return new ClusterSettings(mode, connect, path, secret, session, connectTimeout, host.trim(), labels, bind.trim(), port,
                clusterBind, role, plainTcp);
    }

    /** {@code bind}: empty, or IP:PORT with an IP literal (no name is looked up) and a port 0 to 65535. */
    private String clusterBind() {
        String rule = "must be IP:PORT where this node's cluster endpoint listens (e.g. 10.0.0.5:7400 or 127.0.0.1:0; "
                + "port 0 = any free port), or empty for this host's address and any free port";
        String v = string("bind", rule);
        if (v == null || v.isBlank()) {
            return "";
        }
        String b = v.trim();
        int colon = b.lastIndexOf(':');
        try {
            if (colon > 0) {
                String ip = b.substring(0, colon);
                if (ip.startsWith("[") && ip.endsWith("]")) {
                    ip = ip.substring(1, ip.length() - 1);
                }
                io.procactor.transport.Endpoint.tcp(ip, Integer.parseInt(b.substring(colon + 1)));
                return ip + ":" + b.substring(colon + 1);
            }
        } catch (IllegalArgumentException e) {
            // recorded below
        }
        problems.add(P + "bind", invalid("bind", rule));
        return "";
    }

    private boolean insecurePlainTcp() {
        String rule = "must be true or false (true lets the cluster endpoint run plain TCP on a network address)";
        String v = string("insecure-plain-tcp", rule);
        if (v == null || v.trim().equalsIgnoreCase("false") || v.trim().equalsIgnoreCase("off")) {
            return false;
        }
        if (v.trim().equalsIgnoreCase("true") || v.trim().equalsIgnoreCase("on")) {
            return true;
        }
        problems.add(P + "insecure-plain-tcp", invalid("insecure-plain-tcp", rule));
        return false;
    }

    private ClusterSettings.Role role() {
        String rule = "must be node (places processes on agents) or agent (also starts processes for other nodes)";
        String v = string("role", rule);
        if (v == null) {
            return ClusterSettings.Role.NODE;
        }
        for (ClusterSettings.Role r : ClusterSettings.Role.values()) {
            if (r.configName().equalsIgnoreCase(v.trim())) {
                return r;
            }
        }
        problems.add(P + "role", invalid("role", rule));
        return ClusterSettings.Role.NODE;
    }

    /** {connectString, path} of a zookeeper:// URL. */
    private String[] parseUrl(String key, String url) {
        if (!url.startsWith("zookeeper://")) {
            throw invalid(key, url.isEmpty() ? "must be set with procactor.cluster.mode = zookeeper: " + URL_RULE : URL_RULE);
        }
        String rest = url.substring("zookeeper://".length());
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? ClusterSettings.DEFAULT_PATH : rest.substring(slash);
        if (hosts.isEmpty()) {
            throw invalid(key, URL_RULE + "; it names no host");
        }
        for (String hp : hosts.split(",", -1)) {
            int colon = hp.lastIndexOf(':');
            if (colon <= 0 || hp.endsWith("]")) {
                throw invalid(key, URL_RULE + "; [" + hp + "] has no port");
            }
            String h = hp.substring(0, colon);
            String p = hp.substring(colon + 1);
            if (!HOST.matcher(h).matches()) {
                throw invalid(key, URL_RULE + "; [" + h + "] is not a host name or address");
            }
            int n;
            try {
                n = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 65535) {
                throw invalid(key, URL_RULE + "; port [" + p + "] must be 1 to 65535");
            }
        }
        if (path.equals("/") || path.endsWith("/")) {
            throw invalid(key, URL_RULE + "; the path must name a node below the root, without a trailing '/'");
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw invalid(key, URL_RULE + "; path segment [" + segment + "] must be letters, digits, '.', '-', '_'");
            }
        }
        return new String[] {hosts, path};
    }

    private Map<String, String> labels() {
        String key = "labels";
        ConfigValue v = raw(c, P + key);
        String rule = "must be an object of label names and values, each 1 to 64 letters, digits, '.', '-', '_' "
                + "(e.g. { zone = a, disk = ssd })";
        if (v == null || v.valueType() != ConfigValueType.OBJECT) {
            problems.add(P + key, invalid(key, rule));
            return Map.of();
        }
        Map<String, String> labels = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : ((ConfigObject) v).entrySet()) {
            ConfigValue value = e.getValue();
            String text = value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST
                    || value.valueType() == ConfigValueType.NULL ? null : String.valueOf(value.unwrapped());
            if (!LABEL.matcher(e.getKey()).matches() || text == null || !LABEL.matcher(text).matches()) {
                String full = ConfigText.join(P + key, e.getKey());
                problems.add(full, new ConfigurationException(full + " " + rule + ", was [" + ConfigText.show(value) + "]"
                        + origin(value)));
            } else {
                labels.put(e.getKey(), text);
            }
        }
        return new LinkedHashMap<>(labels);
    }

    /** The secret from {@code secret} or {@code secret-file}; required (and long enough) outside mode local. */
    private String secret(ClusterMode mode) {
        String inline = string("secret", "must be a string (the cluster secret)");
        String file = string("secret-file", "must be the path of a file holding the cluster secret, or empty");
        if (inline == null || file == null || mode == null) {
            return "";
        }
        if (!inline.isEmpty() && !file.isBlank()) {
            problems.add(P + "secret-file", new ConfigurationException(P + "secret and " + P + "secret-file are both set"
                    + origin(raw(c, P + "secret-file")) + "; set one of them"));
            return "";
        }
        String secret = inline;
        if (!file.isBlank()) {
            secret = problems.attempt(P + "secret-file", () -> readSecretFile(Path.of(file.trim())));
            if (secret == null) {
                return "";
            }
        }
        if (mode == ClusterMode.LOCAL) {
            return secret;
        }
        String from = file.isBlank() ? P + "secret" + origin(raw(c, P + "secret")) : "the file [" + file.trim() + "]";
        if (secret.isEmpty()) {
            problems.add(P + "secret", new ConfigurationException(P + "secret (or " + P + "secret-file) must be set with "
                    + "procactor.cluster.mode = " + mode.configName() + ": every node of a cluster shares it, and ZooKeeper "
                    + "refuses nodes without it; e.g. PROCACTOR_CLUSTER_SECRET=$(head -c 24 /dev/urandom | base64)"));
        } else if (secret.length() < MIN_SECRET_LENGTH) {
            problems.add(P + "secret", new ConfigurationException("the cluster secret from " + from + " must be at least "
                    + MIN_SECRET_LENGTH + " characters, was " + secret.length() + "; e.g. head -c 24 /dev/urandom | base64"));
        }
        return secret;
    }

    private String readSecretFile(Path file) {
        String where = P + "secret-file [" + file + "]" + origin(raw(c, P + "secret-file"));
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    throw new ConfigurationException(where + " must be readable by its owner only, has mode "
                            + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "; run chmod 600 " + file);
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (UnsupportedOperationException e) { // not a POSIX file system: read it as it is
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException io) {
                throw new ConfigurationException(where + " cannot be read: " + io, io);
            }
        } catch (IOException e) {
            throw new ConfigurationException(where + " cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); fix the path or its permissions", e);
        }
    }

    // ---- typed reads: each returns null after recording its problem ----

    private String string(String key, String allowed) {
        return problems.attempt(P + key, () -> {
            ConfigValue v = raw(c, P + key);
            if (v == null || v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST
                    || v.valueType() == ConfigValueType.NULL) {
                throw invalid(key, allowed);
            }
            return String.valueOf(v.unwrapped());
        });
    }

    private Duration duration(String key, Duration min, Duration max) {
        String rule = "must be a duration between " + min.toMillis() + "ms and " + max.toSeconds() + "s (e.g. 10s, 500ms)";
        return problems.attempt(P + key, () -> {
            Duration d;
            try {
                d = c.getDuration(P + key);
            } catch (ConfigException e) {
                throw invalid(key, rule);
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw invalid(key, rule);
            }
            return d;
        });
    }

    private Integer port(String key) {
        String rule = "must be a TCP port, 0 to 65535 (0 = any free port)";
        return problems.attempt(P + key, () -> {
            int v;
            try {
                v = c.getInt(P + key);
            } catch (ConfigException e) {
                throw invalid(key, rule);
            }
            if (v < 0 || v > 65535) {
                throw invalid(key, rule);
            }
            return v;
        });
    }

    /** {@code procactor.cluster.<key> <allowed>, was [<value>] (set at <origin>)}; never shows a secret. */
    private ConfigurationException invalid(String key, String allowed) {
        String path = P + key;
        ConfigValue v = raw(c, path);
        String shown = ConfigText.isSecret(path) ? "********" : ConfigText.show(v);
        String was = v == null ? "missing; reference.conf defines every key, is it on the class path?"
                : "was [" + shown + "]" + origin(v);
        return new ConfigurationException(path + " " + allowed + ", " + was);
    }
}
