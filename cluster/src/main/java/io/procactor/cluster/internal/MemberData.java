package io.procactor.cluster.internal;

import io.procactor.ClusterMember;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A member's znode: its name is {@code <host>@<incarnation>}, its data a small properties text
 * (address, cores, memory, labels, role: membership and placement metadata, nothing else). Stateless.
 */
final class MemberData {
    private static final String LABEL = "label.";

    private MemberData() {
    }

    static String nodeName(ClusterMember m) {
        return m.host() + "@" + m.incarnation();
    }

    static byte[] encode(ClusterMember m) {
        Properties p = new Properties();
        p.setProperty("version", "1");
        p.setProperty("address", m.address());
        p.setProperty("cores", Integer.toString(m.cores()));
        p.setProperty("memory", Long.toString(m.memoryBytes()));
        p.setProperty("role", m.role());
        m.labels().forEach((k, v) -> p.setProperty(LABEL + k, v));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The member a znode describes, or null when its name or data is not one of ours. */
    static ClusterMember decode(String nodeName, byte[] data) {
        int at = nodeName.lastIndexOf('@');
        if (at <= 0 || at == nodeName.length() - 1 || data == null) {
            return null;
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(data, StandardCharsets.ISO_8859_1)));
            Map<String, String> labels = new TreeMap<>();
            for (String k : p.stringPropertyNames()) {
                if (k.startsWith(LABEL)) {
                    labels.put(k.substring(LABEL.length()), p.getProperty(k));
                }
            }
            return new ClusterMember(nodeName.substring(0, at), nodeName.substring(at + 1), p.getProperty("address", ""),
                    Integer.parseInt(p.getProperty("cores", "0")), Long.parseLong(p.getProperty("memory", "0")), labels,
                    p.getProperty("role", ClusterMember.NODE));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
