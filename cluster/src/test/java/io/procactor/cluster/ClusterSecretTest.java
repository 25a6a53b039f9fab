package io.procactor.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecretTest {
    @TempDir
    Path dir;

    @Test
    void secretsAreLongEnoughAndDifferent() {
        String a = ClusterSecret.generate();
        assertThat(a).hasSize(32).matches("[A-Za-z0-9_-]+");
        assertThat(ClusterSecret.generate()).isNotEqualTo(a);
    }

    @Test
    void aSecretFileIsTheOwnersAloneAndNeverOverwritten() throws IOException {
        Path file = dir.resolve("cluster.secret");
        String secret = ClusterSecret.writeNew(file);
        assertThat(Files.readString(file).strip()).isEqualTo(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThatThrownBy(() -> ClusterSecret.writeNew(file)).isInstanceOf(FileAlreadyExistsException.class);
    }
}
