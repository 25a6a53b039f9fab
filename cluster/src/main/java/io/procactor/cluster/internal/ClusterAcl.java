package io.procactor.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * The ZooKeeper ACL of a cluster's znodes, derived from the cluster secret (digest scheme): every
 * node with the same secret has all rights, anyone else none, so a node with another secret is
 * refused. What goes over the wire is a SHA-256 of the secret, not the secret itself. Immutable;
 * thread-safe.
 */
final class ClusterAcl implements ACLProvider {
    private static final String USER = "procactor";

    private final String credentials;
    private final List<ACL> acl;

    ClusterAcl(String secret) {
        this.credentials = USER + ":" + HexFormat.of().formatHex(sha256("procactor-cluster:" + secret));
        try {
            // not List.of: ZooKeeper asks the list whether it contains null, which List.of answers with an exception
            this.acl = Collections.unmodifiableList(new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL,
                    new Id("digest", DigestAuthenticationProvider.generateDigest(credentials))))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1, which ZooKeeper's digest ACLs need", e);
        }
    }

    /** What the client sends with {@code addauth digest}. */
    byte[] authBytes() {
        return credentials.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public List<ACL> getDefaultAcl() {
        return acl;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
        return acl;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
