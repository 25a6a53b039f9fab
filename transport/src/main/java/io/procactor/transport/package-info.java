/**
 * Frames, the Kryo codec, Netty channels over Unix domain sockets (or loopback TCP) and the
 * handshake. This module knows nothing of actors: it moves registered Java objects between
 * processes that proved a token.
 *
 * <h2>Wire format</h2>
 * Every frame is length-prefixed; the length counts the bytes after the length field and is at
 * most {@code max-frame-size} (at most {@code 4096} before the server admitted the peer).
 * <pre>
 * +----------+---------+------+---------------------------------+
 * | length   | version | kind | body                            |
 * | int32 BE | u8 = 1  | u8   | length - 2 bytes                |
 * +----------+---------+------+---------------------------------+
 *
 * kind 1 HELLO    client -> server  int32 protocol, int64 pid, utf name, u16 token length, token
 * kind 2 WELCOME  server -> client  int32 protocol, int64 pid, utf name,
 *                                   int32 n, n x (int32 id, utf class name)   (registration table)
 * kind 3 REFUSE   server -> client  utf reason; the server then closes the connection
 * kind 4 MESSAGE  either way        one Kryo-encoded object (registration required)
 * kind 5 PING     either way        no body; the receiving transport answers PONG (protocol 2)
 * kind 6 PONG     either way        no body; reported to Inbound.onPong
 *
 * utf = u16 byte length + UTF-8 bytes
 * </pre>
 *
 * <h2>Who gets in</h2>
 * A server holds at most {@code max-pending-handshakes} connections that have not completed the
 * handshake (more are closed unanswered) and gives each {@code handshake-timeout} from accept to
 * send its HELLO. The HELLO goes to the server's {@link io.procactor.transport.Gatekeeper} with
 * the claimed name and pid, the kernel's {@link io.procactor.transport.PeerCredentials} and the
 * token; only an admitted peer gets WELCOME. A refused peer gets REFUSE and is closed, and
 * nothing it sent is decoded. Refusals are counted ({@link io.procactor.transport.Server}) and
 * logged a few times a minute, with the peer's text escaped and cut.
 *
 * <h2>TLS</h2>
 * With {@link io.procactor.transport.TlsSettings} enabled, TCP connections run mutual TLS below
 * the frames (the wire format above is then the TLS plaintext, unchanged): both ends present a
 * certificate and verify the other's against the cluster CA; host names are not checked. A failed
 * TLS handshake closes that connection only, within the handshake timeout, and is counted and
 * logged as a refusal with the peer's address and the reason. Unix domain sockets never use TLS.
 *
 * <h2>Bad input</h2>
 * A frame that is too long, has another version or an unknown kind closes that connection only,
 * with a log line naming the peer and the reason. A MESSAGE whose body cannot be decoded is
 * dropped with an error log; the framing is intact, so the connection stays open. A MESSAGE that
 * declares more than it holds or than the {@link io.procactor.transport.DecodeLimits} allow
 * (string, array, collection and map sizes, nesting depth) closes the connection before anything
 * that large is allocated, with one log line.
 *
 * <p>Threading: {@link io.procactor.transport.Transport} and
 * {@link io.procactor.transport.Connection} are thread-safe; inbound callbacks, gatekeepers and
 * acceptors run on the connection's event-loop thread and must not block.
 */
package io.procactor.transport;
