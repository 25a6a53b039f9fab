package io.procactor.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes cluster secrets ({@code procactor.cluster.secret}, {@code procactor.cluster.secret-file}):
 * 32 characters from 24 random bytes, URL-safe Base64. Every node of a cluster needs the same one;
 * give it to them through a file readable by its owner only, or the environment variable
 * {@code PROCACTOR_CLUSTER_SECRET}.
 *
 * <p>Stateless; thread-safe.
 */
public final class ClusterSecret {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterSecret() {
    }

    /** A new random secret. */
    public static String generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Writes a new random secret to {@code file}, which must not exist, created with mode 600
     * (what {@code procactor.cluster.secret-file} requires), and returns it.
     *
     * @throws IOException if the file exists or cannot be written
     */
    public static String writeNew(Path file) throws IOException {
        String secret = generate();
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return secret;
    }
}
