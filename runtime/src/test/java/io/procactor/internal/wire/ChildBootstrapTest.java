package io.procactor.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildBootstrapTest {
    private final ChildBootstrap boot = new ChildBootstrap("worker-1", "demo", Endpoint.unix(Path.of("/tmp/p/node.sock")),
            Endpoint.unix(Path.of("/tmp/p/c1.sock")), Credentials.random(), Credentials.random(), -8424920175409116843L,
            4242, Map.of("transport.kind", "epoll"), null);

    @Test
    void whatTheNodeWritesTheChildReadsBack() throws IOException {
        StringWriter out = new StringWriter();
        boot.writeTo(out);

        ChildBootstrap read = ChildBootstrap.readFrom(new BufferedReader(new StringReader(out.toString())));

        assertThat(read.name()).isEqualTo("worker-1");
        assertThat(read.sharedMemorySystemId()).isEqualTo(-8424920175409116843L);
        assertThat(read.peerCredentials().toHex()).isEqualTo(boot.peerCredentials().toHex());
        assertThat(read.settings()).isEqualTo(Map.of("transport.kind", "epoll"));
        assertThat(read.rehearseAt()).as("only the archive's writer rehearses").isNull();
    }

    @Test
    void theArchivesWriterLearnsWhereToRehearse() throws IOException {
        Endpoint at = Endpoint.unix(Path.of("/tmp/p/c2.sock"));
        ChildBootstrap writer = new ChildBootstrap(boot.name(), boot.system(), boot.node(), boot.listen(), boot.credentials(),
                boot.peerCredentials(), boot.sharedMemorySystemId(), boot.parentPid(), boot.settings(), at);
        StringWriter out = new StringWriter();
        writer.writeTo(out);

        ChildBootstrap read = ChildBootstrap.readFrom(new BufferedReader(new StringReader(out.toString())));

        assertThat(read.rehearseAt()).isEqualTo(at);
        assertThat(read.listen()).isEqualTo(boot.listen());
    }

    /** A child class path holding another procactor version than the node's: said so, not "lacks [a key]". */
    @Test
    void aBootstrapOfAnotherVersionIsRefusedNamingBothVersions() throws IOException {
        StringWriter out = new StringWriter();
        boot.writeTo(out);
        String older = out.toString().replace("procactor-child 2\n", "procactor-child 1\n");

        assertThatThrownBy(() -> ChildBootstrap.readFrom(new BufferedReader(new StringReader(older))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("[procactor-child 1]").hasMessageContaining("[procactor-child 2]")
                .hasMessageContaining("different procactor versions");
    }
}
