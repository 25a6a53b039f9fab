package io.procactor.transport;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

class EpollTransportTest extends TransportContractTest {
    @BeforeAll
    static void epollAvailable() {
        Assumptions.assumeTrue(Epoll.isAvailable(), () -> "native epoll unavailable: " + Epoll.unavailabilityCause());
    }

    @Override
    TransportKind kind() {
        return TransportKind.EPOLL;
    }
}
