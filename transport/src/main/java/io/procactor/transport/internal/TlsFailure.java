package io.procactor.transport.internal;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Turns the JDK's TLS handshake exceptions into a reason an operator can act on ("certificate not
 * signed by the cluster CA"), keeping the JDK's text after it for the details. Stateless.
 */
final class TlsFailure {
    private TlsFailure() {
    }

    /** Whether {@code cause} is a TLS failure (anything else is left to the other handlers). */
    static boolean isTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** One line: what went wrong and what to check, then the JDK's message. */
    static String reason(Throwable cause, long timeoutMillis) {
        String all = messages(cause);
        String lower = all.toLowerCase(Locale.ROOT);
        String reason;
        if (has(cause, SslHandshakeTimeoutException.class)) {
            reason = "TLS handshake not completed within " + timeoutMillis + " ms";
        } else if (has(cause, NotSslRecordException.class)) {
            reason = "the peer does not speak TLS (plain TCP? is procactor.transport.tls.enabled on at both ends?)";
        } else if (has(cause, CertificateExpiredException.class) || has(cause, CertificateNotYetValidException.class)
                || lower.contains("validity check failed")) {
            reason = "the peer's certificate has expired or is not valid yet";
        } else if (lower.contains("empty client certificate chain") || lower.contains("empty server certificate chain")
                || lower.contains("certificate_required")) {
            // A JDK client offers only a certificate from a CA the server names, so a stranger's arrives as none.
            reason = "the peer presented no certificate signed by the cluster CA (mutual TLS: every member needs a "
                    + "certificate from the CA in procactor.transport.tls.trust)";
        } else if (has(cause, CertPathValidatorException.class) || lower.contains("pkix path")
                || lower.contains("certification path") || lower.contains("signature check failed")) {
            reason = "certificate not signed by the cluster CA (procactor.transport.tls.trust)";
        } else if (lower.contains("alert: certificate_unknown") || lower.contains("alert: bad_certificate")
                || lower.contains("alert: unknown_ca")) {
            reason = "the peer does not trust our certificate: it was not signed by the CA the peer trusts";
        } else if (lower.contains("protocol_version") || lower.contains("no appropriate protocol")
                || lower.contains("protocol versions")
                || lower.contains("protocol is disabled")) {
            reason = "no TLS version in common (procactor.transport.tls.protocols)";
        } else {
            reason = "TLS handshake failed";
        }
        return reason + " [" + LogText.escape(all, 300) + "]";
    }

    private static boolean has(Throwable cause, Class<? extends Throwable> type) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message, which is where the JDK says what it checked. */
    private static String messages(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m != null ? ": " + m : "");
    }
}
