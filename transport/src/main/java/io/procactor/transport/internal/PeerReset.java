package io.procactor.transport.internal;

import io.netty.channel.unix.Errors;
import java.io.IOException;

/**
 * Recognises the errors a socket reports when its peer went away abruptly (the peer process
 * exited or was killed with bytes still unread, so the kernel reset the connection). That is how
 * a connection to a stopping process often ends, not a fault of this side: the process's exit
 * status says why it went, so these are logged quietly and reported as a plain close.
 *
 * <p>Threading: stateless.
 */
final class PeerReset {
    private PeerReset() {
    }

    static boolean is(Throwable cause) {
        if (cause instanceof Errors.NativeIoException e) { // epoll: the errno says it exactly
            int errno = e.expectedErr();
            return errno == Errors.ERRNO_ECONNRESET_NEGATIVE || errno == Errors.ERRNO_EPIPE_NEGATIVE;
        }
        if (cause instanceof IOException && cause.getMessage() != null) { // JDK NIO: only the text says it
            String message = cause.getMessage();
            return message.startsWith("Connection reset") || message.startsWith("Broken pipe");
        }
        return false;
    }
}
