package io.procactor.cluster.netns;

import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Inbound;
import io.procactor.transport.Registrations;
import io.procactor.transport.Server;
import io.procactor.transport.TlsSettings;
import io.procactor.transport.Transport;
import io.procactor.transport.TransportKind;
import io.procactor.transport.TransportSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A participant speaking procactor's transport (TCP, mutual TLS, token handshake) on a lab
 * namespace address. Arguments: {@code serve ADDRESS PORT CERT KEY TRUST TOKEN-HEX} echoes every
 * message back and answers the command "refused" with {@code REFUSED-COUNT n};
 * {@code ping ADDRESS PORT CERT KEY TRUST TOKEN-HEX COUNT} reports {@code CONNECT-FAILED reason}
 * or {@code PINGS count median-us p99-us} and quits. Lines as {@link ParticipantIo} says.
 *
 * <p>Threading: the main thread; the transport's event loop only hands replies over a queue.
 */
public final class TlsPingMain {
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);

    private TlsPingMain() {
    }

    public static void main(String[] args) throws Exception {
        ParticipantIo.refuseRootNamespace();
        Endpoint endpoint = namespaceEndpoint(args[1], Integer.parseInt(args[2]));
        TlsSettings tls = TlsSettings.pem(Path.of(args[3]), Path.of(args[4]), Path.of(args[5]));
        Credentials token = Credentials.fromHex(args[6]);
        TransportSettings settings = new TransportSettings(TransportKind.TCP, 64 * 1024, HANDSHAKE, 1).withTls(tls);
        try (Transport transport = Transport.create(settings, args[0] + "-" + ProcessHandle.current().pid(),
                Registrations.builder().build())) {
            if (args[0].equals("serve")) {
                serve(transport, endpoint, token);
            } else {
                ping(transport, endpoint, token, Integer.parseInt(args[7]));
            }
        }
        ParticipantIo.report("CLOSED");
        System.exit(0);
    }

    private static void serve(Transport transport, Endpoint endpoint, Credentials token) {
        try (Server server = transport.bind(endpoint, token, c -> new Inbound() {
            @Override
            public void onMessage(Connection connection, Object message) {
                connection.send(message);
            }

            @Override
            public void onClosed(Connection connection, Throwable cause) {
            }
        })) {
            ParticipantIo.report("LISTENING " + endpoint.toSocketAddress());
            ParticipantIo.commands(command -> ParticipantIo.report(command.equals("refused")
                    ? "REFUSED-COUNT " + server.refusedConnections() : "UNKNOWN-COMMAND " + command));
        } catch (Exception e) {
            ParticipantIo.report("FAILED " + e);
        }
    }

    private static void ping(Transport transport, Endpoint endpoint, Credentials token, int count) throws Exception {
        BlockingQueue<Object> replies = new ArrayBlockingQueue<>(16);
        Connection c;
        try {
            c = transport.connect(endpoint, token, new Inbound() {
                @Override
                public void onMessage(Connection connection, Object message) {
                    replies.add(message);
                }

                @Override
                public void onClosed(Connection connection, Throwable cause) {
                }
            }).get(HANDSHAKE.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            ParticipantIo.report("CONNECT-FAILED " + e.getCause().getClass().getSimpleName() + ": "
                    + String.valueOf(e.getCause().getMessage()).replace('\n', ' '));
            return;
        }
        for (long i = 0; i < count; i++) { // warm-up: as many again, not measured
            c.send(i);
            replies.poll(10, TimeUnit.SECONDS);
        }
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            c.send((long) i);
            Object back = replies.poll(10, TimeUnit.SECONDS);
            nanos[i] = System.nanoTime() - start;
            if (!Long.valueOf(i).equals(back)) {
                ParticipantIo.report("FAILED ping " + i + " came back as " + back);
                return;
            }
        }
        Arrays.sort(nanos);
        ParticipantIo.report("PINGS " + count + " " + nanos[count / 2] / 1000 + " " + nanos[(int) (count * 0.99)] / 1000);
        c.close();
    }

    /**
     * A TCP endpoint on a lab namespace address. {@link Endpoint}'s TCP endpoints are loopback-only
     * until remote spawn adds endpoints of other hosts; inside a lab namespace, another address is
     * what another host is, so this test reaches Endpoint's private constructor.
     */
    private static Endpoint namespaceEndpoint(String address, int port) throws ReflectiveOperationException {
        var ctor = Endpoint.class.getDeclaredConstructor(Path.class, String.class, int.class);
        ctor.setAccessible(true);
        return ctor.newInstance(null, address, port);
    }
}
