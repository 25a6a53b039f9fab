package io.procactor;

/**
 * The configuration is invalid: a wrong type, a value out of range, an unknown enum value, an
 * unknown key under {@code procactor}, a topology that cannot run. Thrown before any process
 * starts ({@link ActorSystem} creation, {@link Topology#load}); the message is one line that
 * names the full key path, the value, where it was set (file and line, {@code --set},
 * environment variable, system property) and what is allowed, e.g.
 *
 * <pre>
 * procactor.process.start-timeout must be a positive duration (e.g. 30s, 500ms), was [soon] (set at application.conf: 12)
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
