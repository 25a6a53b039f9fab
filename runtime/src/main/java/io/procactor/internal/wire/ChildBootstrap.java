package io.procactor.internal.wire;

import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;

/**
 * What a child needs before it can connect, handed over on its stdin (never the command line or
 * environment, where other users could read the token). One {@code key=value} per line:
 * <pre>
 * procactor-child 2
 * name=worker-1
 * system=demo
 * node=unix:/tmp/procactor-123/node.sock
 * listen=unix:/tmp/procactor-123/c1.sock
 * token=9f86d0…                                (this launch's one-time secret for the node)
 * peer-token=4e07a4…                           (the secret children prove to each other)
 * shm-system-id=-8424920175409116843           (shared-memory handles' system id, derived from peer-token)
 * parent-pid=4242
 * setting.transport.kind=epoll                (the node's effective settings, one per line)
 * setting.dispatcher.threads=0
 * rehearse-at=unix:/tmp/procactor-123/c2.sock  (only for the child that writes the class-data archive)
 * end
 * </pre>
 * stdin then stays open: the child halts when it reaches end of file (its node is gone).
 *
 * <p>{@code rehearseAt} is null except for the child that writes its class path's class-data
 * archive: that one rehearses the runtime's start and messages there first (see
 * {@code SpareWarmup.rehearseForArchive}), so the archive holds them whatever the child then does.
 * An optional key: a child that does not know it ignores it.
 */
public record ChildBootstrap(String name, String system, Endpoint node, Endpoint listen, Credentials credentials,
                      Credentials peerCredentials, long sharedMemorySystemId, long parentPid, Map<String, String> settings,
                      Endpoint rehearseAt) {
    private static final String REHEARSE_AT = "rehearse-at";
    private static final String SETTING = "setting.";
    /** The format's version: 2 added {@code shm-system-id}. */
    private static final String HEADER = "procactor-child 2";
    private static final String HEADER_PREFIX = "procactor-child ";

    public void writeTo(Writer w) throws IOException {
        w.write(HEADER + "\n");
        w.write("name=" + name + "\n");
        w.write("system=" + system + "\n");
        w.write("node=" + node + "\n");
        w.write("listen=" + listen + "\n");
        w.write("token=" + credentials.toHex() + "\n");
        w.write("peer-token=" + peerCredentials.toHex() + "\n");
        w.write("shm-system-id=" + sharedMemorySystemId + "\n");
        w.write("parent-pid=" + parentPid + "\n");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            w.write(SETTING + e.getKey() + "=" + e.getValue() + "\n");
        }
        if (rehearseAt != null) {
            w.write(REHEARSE_AT + "=" + rehearseAt + "\n");
        }
        w.write("end\n");
        w.flush();
    }

    public static ChildBootstrap readFrom(BufferedReader r) throws IOException {
        String header = r.readLine();
        if (header != null && header.startsWith(HEADER_PREFIX) && !HEADER.equals(header)) {
            throw new IOException("the node sent bootstrap [" + header + "], this child reads [" + HEADER + "]: the node and"
                    + " the child's class path hold different procactor versions; give children the node's procactor jars");
        }
        if (!HEADER.equals(header)) {
            throw new IOException("expected [" + HEADER + "] on stdin, got [" + header + "]; "
                    + "ChildMain is started by an ActorSystem, not by hand");
        }
        Map<String, String> kv = new HashMap<>();
        String line;
        while ((line = r.readLine()) != null && !line.equals("end")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        for (String k : new String[] {"name", "system", "node", "listen", "token", "peer-token", "shm-system-id", "parent-pid"}) {
            if (!kv.containsKey(k)) {
                throw new IOException("bootstrap on stdin lacks [" + k + "]");
            }
        }
        return new ChildBootstrap(kv.get("name"), kv.get("system"), Endpoint.parseAny(kv.get("node")),
                Endpoint.parse(kv.get("listen")), Credentials.fromHex(kv.get("token")),
                Credentials.fromHex(kv.get("peer-token")), Long.parseLong(kv.get("shm-system-id")),
                Long.parseLong(kv.get("parent-pid")), settingsOf(kv),
                kv.containsKey(REHEARSE_AT) ? Endpoint.parse(kv.get(REHEARSE_AT)) : null);
    }

    private static Map<String, String> settingsOf(Map<String, String> kv) {
        Map<String, String> s = new HashMap<>();
        kv.forEach((k, v) -> {
            if (k.startsWith(SETTING)) {
                s.put(k.substring(SETTING.length()), v);
            }
        });
        return s;
    }
}
