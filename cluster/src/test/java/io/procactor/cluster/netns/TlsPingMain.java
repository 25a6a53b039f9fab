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
 * namespace address. Arguments: {@code serve ADDRESS PORT CERT KEY TRUST TOKEN-HEX} serves with TLS
 * on PORT, plain TCP on PORT+1 and a Unix socket (its path in the LISTENING line): a {@code Long}
 * of 0 or more comes back (an ask), a negative one is only counted (a tell), and
 * {@link #COUNT_TELLS} is answered with the count of tells since the last one. It answers the
 * command "refused" with the TLS server's {@code REFUSED-COUNT n}. {@code ping ADDRESS PORT CERT KEY
 * TRUST TOKEN-HEX COUNT [plain-too]} reports {@code CONNECT-FAILED reason} or {@code PINGS count
 * median-us p99-us} (then {@code PLAIN-PINGS ...} over plain TCP) and quits; {@link TransportBenchMain}
 * measures more. Lines as {@link ParticipantIo} says.
 *
 * <p>Threading: the main thread; the transport's event loop only hands replies over a queue.
 */
public final class TlsPingMain {
    static final Duration HANDSHAKE = Duration.ofSeconds(10);
    /** Asks the server for the number of tells it received since the last such question. */
    static final long COUNT_TELLS = Long.MIN_VALUE;

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
                try (Transport unix = transport(TransportKind.AUTO, TlsSettings.DISABLED, name + "-unix")) {
                    serve(secure, Endpoint.tcp(address, port), plain, Endpoint.tcp(address, port + 1), unix, token);
                }
            } else if (ping("PINGS", secure, Endpoint.tcp(address, port), token, Integer.parseInt(args[7]))
                    && args.length > 8 && args[8].equals("plain-too")) {
                ping("PLAIN-PINGS", plain, Endpoint.tcp(address, port + 1), token, Integer.parseInt(args[7]));
            }
        }
        ParticipantIo.report("CLOSED");
        System.exit(0);
    }

    static Transport transport(TlsSettings tls, String name) {
        return transport(TransportKind.TCP, tls, name);
    }

    static Transport transport(TransportKind kind, TlsSettings tls, String name) {
        return Transport.create(new TransportSettings(kind, 64 * 1024, HANDSHAKE, 1).withTls(tls), name,
                Registrations.builder().build());
    }

    /** The server's Unix socket: in the temporary directory (short enough for sun_path), named by its pid. */
    private static Path unixSocket() {
        return Path.of(System.getProperty("java.io.tmpdir"), "pa-bench-" + ProcessHandle.current().pid() + ".sock");
    }

    private static void serve(Transport secure, Endpoint tlsEndpoint, Transport plain, Endpoint plainEndpoint, Transport unix,
            Credentials token) throws java.io.IOException {
        Endpoint unixEndpoint = Endpoint.unix(unixSocket());
        java.nio.file.Files.deleteIfExists(unixEndpoint.path());
        try (Server tls = secure.bind(tlsEndpoint, token, c -> new Echo()); Server tcp = plain.bind(plainEndpoint, token, c -> new Echo());
             Server uds = unix.bind(unixEndpoint, token, c -> new Echo())) {
            ParticipantIo.report("LISTENING tls " + tlsEndpoint.toSocketAddress() + " plain " + plainEndpoint.toSocketAddress()
                    + " unix " + unixEndpoint.path());
            ParticipantIo.commands(command -> ParticipantIo.report(command.equals("refused")
                    ? "REFUSED-COUNT " + tls.refusedConnections() : "UNKNOWN-COMMAND " + command));
        } catch (Exception e) {
            ParticipantIo.report("FAILED " + e);
        } finally {
            java.nio.file.Files.deleteIfExists(unixEndpoint.path());
        }
    }

    /** Sends asks back, counts tells. One per connection: only that connection's event loop touches it. */
    private static final class Echo implements Inbound {
        private long tells;

        @Override
        public void onMessage(Connection connection, Object message) {
            long n = (Long) message;
            if (n == COUNT_TELLS) {
                connection.send(tells);
                tells = 0;
            } else if (n < 0) {
                tells++;
            } else {
                connection.send(message);
            }
        }

        @Override
        public void onClosed(Connection connection, Throwable cause) {
        }
    }

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
