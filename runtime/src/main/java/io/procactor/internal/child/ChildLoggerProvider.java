package io.procactor.internal.child;

import io.procactor.internal.wire.ChildOutput;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J backend of a child JVM: procactor's own logs and the user's actors' SLF4J logs in a
 * child go to the node, which logs them through the node's own SLF4J backend (whatever the user
 * chose) with the child's name and pid. The node selects it with {@code -Dslf4j.provider} on the
 * child's command line and passes the lowest level its {@code procactor.child} logger has enabled as
 * {@code -Dprocactor.child.log-level}, so a child sends nothing the node would drop. Events travel
 * on the child's stderr, one line each (stack trace lines too), starting with
 * {@link ChildOutput#MARKER} and the level; stdout stays the program's own output.
 *
 * <p>Thread-safe: loggers are shared, each line is written whole.
 */
public final class ChildLoggerProvider implements SLF4JServiceProvider {
    /** The system property that names the child's process (set on its command line; {@code procactor ps} shows it too). */
    public static final String CHILD_PROPERTY = "procactor.child";
    /** The system property with the lowest level a child sends: TRACE, DEBUG, INFO, WARN, ERROR or OFF. */
    public static final String LEVEL_PROPERTY = "procactor.child.log-level";

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();
    private volatile ILoggerFactory factory;

    /** The JVM options that make a child log through the node, sending what {@code nodeLogger} has enabled. */
    public static java.util.List<String> jvmOptions(String childName, Logger nodeLogger) {
        return java.util.List.of("-D" + CHILD_PROPERTY + "=" + childName,
                "-Dslf4j.provider=" + ChildLoggerProvider.class.getName(),
                "-Dslf4j.internal.verbosity=WARN", // else SLF4J says on stderr which provider it loads
                "-D" + LEVEL_PROPERTY + "=" + lowestEnabled(nodeLogger));
    }

    /** The lowest level {@code logger} has enabled, or OFF. */
    static String lowestEnabled(Logger logger) {
        if (logger.isTraceEnabled()) {
            return "TRACE";
        } else if (logger.isDebugEnabled()) {
            return "DEBUG";
        } else if (logger.isInfoEnabled()) {
            return "INFO";
        } else if (logger.isWarnEnabled()) {
            return "WARN";
        }
        return logger.isErrorEnabled() ? "ERROR" : "OFF";
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        String level = System.getProperty(LEVEL_PROPERTY, "INFO").trim().toUpperCase(Locale.ROOT);
        int threshold = level.equals("OFF") ? Integer.MAX_VALUE : levelInt(level);
        // the real stderr, even if the program replaces System.err
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        Map<String, Logger> loggers = new ConcurrentHashMap<>();
        factory = name -> loggers.computeIfAbsent(name, n -> new ChildLogger(n, threshold, err));
    }

    private static int levelInt(String level) {
        try {
            return Level.valueOf(level).toInt();
        } catch (IllegalArgumentException e) {
            return Level.INFO.toInt();
        }
    }

    /** One line per event: marker, level, the logger's simple name, the message; stack trace lines marked too. */
    static String format(Level level, String logger, String message, Throwable t) {
        String mark = ChildOutput.MARKER + level.name() + " ";
        StringBuilder b = new StringBuilder(128).append(mark)
                .append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ")
                .append(message == null ? "" : message.replace("\n", "\n" + mark)).append('\n');
        if (t != null) {
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            for (String line : w.toString().split("\\R")) {
                b.append(mark).append(line).append('\n');
            }
        }
        return b.toString();
    }

    private static final class ChildLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        private final int threshold;
        private final transient PrintStream out;

        ChildLogger(String name, int threshold, PrintStream out) {
            this.name = name;
            this.threshold = threshold;
            this.out = out;
        }

        private boolean enabled(Level level) {
            return level.toInt() >= threshold;
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
            String message = MessageFormatter.basicArrayFormat(pattern, args);
            String line = format(level, name, message, t);
            synchronized (out) {
                out.print(line);
                out.flush();
            }
        }
    }
}
