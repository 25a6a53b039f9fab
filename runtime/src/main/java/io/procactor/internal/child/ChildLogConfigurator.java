package io.procactor.internal.child;

import io.procactor.internal.wire.ChildOutput;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Configures Logback in child JVMs, in code: parsing an XML configuration costs a child more
 * than half a second of start-up on a small machine. Every line goes to stdout, where the node
 * reads it, starting with {@link ChildOutput#MARKER} and the level, so the node logs it at that
 * level prefixed with the child's name and pid (the node adds the time). In the node, or when
 * {@code -Dlogback.configurationFile} is given, it steps aside for Logback's usual lookup.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ChildLogConfigurator extends ContextAwareBase implements Configurator {
    /** Set on a child's command line; the child's process name. */
    public static final String CHILD_PROPERTY = "procactor.child";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(CHILD_PROPERTY) == null || System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        ChildLayout layout = new ChildLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("node");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code <marker>LEVEL logger - message}, and each stack trace line marked with the same level. */
    static final class ChildLayout extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            String mark = ChildOutput.MARKER + event.getLevel().toString() + " ";
            StringBuilder b = new StringBuilder(128).append(mark);
            String logger = event.getLoggerName();
            b.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ")
                    .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy t = event.getThrowableProxy();
            if (t != null) {
                for (String line : ThrowableProxyUtil.asString(t).split("\\R")) {
                    b.append(mark).append(line).append(CoreConstants.LINE_SEPARATOR);
                }
            }
            return b.toString();
        }
    }
}
