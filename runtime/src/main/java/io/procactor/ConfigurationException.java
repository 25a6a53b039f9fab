package io.procactor;

/**
 * The configuration is invalid: a wrong type, a value out of range, an unknown enum value, an
 * unknown key under {@code procactor}, a topology that cannot run. Thrown before any process
 * starts ({@link ActorSystem} creation, {@link Topology#load}). Every key is checked before it
 * is thrown: the message has one line per problem, in the order found, each naming the full key
 * path, the value, where it was set (file and line, {@code --set}, environment variable, system
 * property) and what is allowed, e.g.
 *
 * <pre>
 * procactor.process.start-timeout must be a positive duration (e.g. 30s, 500ms), was [soon] (set at application.conf: 12)
 * procactor.mailbox.capcity is not a procactor setting (set at application.conf: 14); did you mean procactor.mailbox.capacity? ...
 * </pre>
 *
 * <p>Immutable, so thread-safe. The {@code procactor} command reports it with exit code 2.
 */
public class ConfigurationException extends ActorException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
