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
 * message back, with TLS on PORT and plain TCP on PORT+1, and answers the command "refused" with
 * the TLS server's {@code REFUSED-COUNT n}; {@code ping ADDRESS PORT CERT KEY TRUST TOKEN-HEX COUNT
 * [plain-too]} reports {@code CONNECT-FAILED reason} or {@code PINGS count median-us p99-us} (then
 * {@code PLAIN-PINGS ...} over plain TCP) and quits. Lines as {@link ParticipantIo} says.
 *
 * <p>Threading: the main thread; the transport's event loop only hands replies over a queue.
 */
public final class TlsPingMain {
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);

    private TlsPingMain() {
    }

    public static void main(String[] args) throws Exception {
        ParticipantIo.refuseRootNamespace();
        String address = args[1];
        int port = Integer.parseInt(args[2]);
        TlsSettings tls = TlsSettings.pem(Path.of(args[3]), Path.of(args[4]), Path.of(args[5]));
        Credentials token = Credentials.fromHex(args[6]);
        String name = args[0] + "-" + ProcessHandle.current().pid();
        try (Transport secure = transport(tls, name + "-tls"); Transport plain = transport(TlsSettings.DISABLED, name + "-tcp")) {
            if (args[0].equals("serve")) {
                serve(secure, Endpoint.tcp(address, port), plain, Endpoint.tcp(address, port + 1), token);
            } else if (ping("PINGS", secure, Endpoint.tcp(address, port), token, Integer.parseInt(args[7]))
                    && args.length > 8 && args[8].equals("plain-too")) {
                ping("PLAIN-PINGS", plain, Endpoint.tcp(address, port + 1), token, Integer.parseInt(args[7]));
            }
        }
        ParticipantIo.report("CLOSED");
        System.exit(0);
    }

    private static Transport transport(TlsSettings tls, String name) {
        return Transport.create(new TransportSettings(TransportKind.TCP, 64 * 1024, HANDSHAKE, 1).withTls(tls), name,
                Registrations.builder().build());
    }

    private static void serve(Transport secure, Endpoint tlsEndpoint, Transport plain, Endpoint plainEndpoint, Credentials token) {
        try (Server tls = secure.bind(tlsEndpoint, token, c -> ECHO); Server tcp = plain.bind(plainEndpoint, token, c -> ECHO)) {
            ParticipantIo.report("LISTENING tls " + tlsEndpoint.toSocketAddress() + " plain " + plainEndpoint.toSocketAddress());
            ParticipantIo.commands(command -> ParticipantIo.report(command.equals("refused")
                    ? "REFUSED-COUNT " + tls.refusedConnections() : "UNKNOWN-COMMAND " + command));
        } catch (Exception e) {
            ParticipantIo.report("FAILED " + e);
        }
    }

    /** Sends every message back. */
    private static final Inbound ECHO = new Inbound() {
        @Override
        public void onMessage(Connection connection, Object message) {
            connection.send(message);
        }

        @Override
        public void onClosed(Connection connection, Throwable cause) {
        }
    };

    /** Reports {@code what count median-us p99-us}, or CONNECT-FAILED; returns whether it connected. */
    private static boolean ping(String what, Transport transport, Endpoint endpoint, Credentials token, int count)
            throws Exception {
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
            return false;
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
                return false;
            }
        }
        Arrays.sort(nanos);
        ParticipantIo.report(what + " " + count + " " + nanos[count / 2] / 1000 + " " + nanos[(int) (count * 0.99)] / 1000);
        c.close();
        return true;
    }
}
