package io.procactor.transport;

class NioUnixTransportTest extends TransportContractTest {
    @Override
    TransportKind kind() {
        return TransportKind.NIO_UNIX;
    }
}
