package io.procactor.transport;

class TcpTransportTest extends TransportContractTest {
    @Override
    TransportKind kind() {
        return TransportKind.TCP;
    }
}
