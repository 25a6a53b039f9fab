package io.procactor.transport;

/**
 * A TLS setting that cannot be used: a file missing or unreadable, a key that does not belong to
 * its certificate, an unsupported protocol. {@link #setting()} is the key under
 * {@code procactor.transport.tls} ({@code certificate}, {@code private-key}, {@code key-store},
 * {@code key-store-password}, {@code trust}, {@code protocols}), so a configuration reader can name the full key.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class TlsConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String setting;
    private final String value;
    private final String problem;

    /**
     * @param setting the key under procactor.transport.tls
     * @param value   the offending value
     * @param problem what is wrong and how to fix it
     */
    public TlsConfigurationException(String setting, String value, String problem) {
        this(setting, value, problem, null);
    }

    public TlsConfigurationException(String setting, String value, String problem, Throwable cause) {
        super("tls." + setting + " " + problem + ", was [" + value + "]", cause);
        this.setting = setting;
        this.value = value;
        this.problem = problem;
    }

    /** The key under {@code procactor.transport.tls}. */
    public String setting() {
        return setting;
    }

    /** The offending value as configured. */
    public String value() {
        return value;
    }

    /** What is wrong and how to fix it, without the key and the value. */
    public String problem() {
        return problem;
    }
}
