package io.procactor.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EndpointTest {
    @Test
    void textFormsRoundTripAndChildrenStayOnLoopback() {
        assertThat(Endpoint.parse("tcp:127.0.0.1:4000")).isEqualTo(Endpoint.loopback(4000));
        assertThat(Endpoint.parse(Endpoint.unix(Path.of("/tmp/x.sock")).toString())).isEqualTo(Endpoint.unix(Path.of("/tmp/x.sock")));
        assertThatThrownBy(() -> Endpoint.parse("tcp:10.0.0.5:4000"))
                .hasMessageContaining("loopback only").hasMessageContaining("10.0.0.5");
    }

    @Test
    void anotherHostsEndpointTakesAnIpLiteralOnly() {
        assertThat(Endpoint.tcp("10.77.0.10", 7000).toString()).isEqualTo("tcp:10.77.0.10:7000");
        assertThatThrownBy(() -> Endpoint.tcp("example.org", 7000))
                .hasMessageContaining("[example.org]").hasMessageContaining("resolve host names");
        assertThatThrownBy(() -> Endpoint.tcp("10.0.0.1", 70000)).hasMessageContaining("[70000]");
    }
}
