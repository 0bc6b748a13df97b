package dev.beesting.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How the agent's and the operator's log lines look on stderr: {@code text} for people (the default) or {@code json},
 * one object per line for log pipelines. Configured in code, so the images need no configuration file; the agent's
 * stdout stays the alerts' own.
 */
public enum LogFormat {
    TEXT,
    JSON;

    /** The root level; {@code -Dbeesting.logLevel=warn} quiets benchmarks and tests. */
    static final String LEVEL_PROPERTY = "beesting.logLevel";

    /**
     * Whatever {@code System.err} is at the time of each write, as slf4j-simple did: a caller that redirects stderr
     * (a test capturing the log) gets the lines.
     */
    private static final OutputStream STDERR = new OutputStream() {
        @Override
        public void write(int b) {
            System.err.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            System.err.write(bytes, offset, length);
        }

        @Override
        public void flush() {
            System.err.flush();
        }
    };

    /** Switches the running process's logging to this format. */
    public void apply() {
        install((LoggerContext) LoggerFactory.getILoggerFactory(), STDERR);
    }

    /** Replaces whatever the context logged with by one appender writing this format to {@code out}. */
    void install(LoggerContext context, OutputStream out) {
        context.reset();
        Encoder<ILoggingEvent> encoder = encoder(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName(name().toLowerCase(Locale.ROOT));
        appender.setEncoder(encoder);
        appender.setOutputStream(unclosable(out));
        appender.start();
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty(LEVEL_PROPERTY), Level.INFO));
        root.addAppender(appender);
    }

    /** The next format's reset stops this appender, which would otherwise close stderr with it. */
    private static OutputStream unclosable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    private Encoder<ILoggingEvent> encoder(LoggerContext context) {
        if (this == JSON) {
            // time, level, thread, logger, message as formatted, MDC and key-values, the throwable; nothing else
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            return json;
        }
        // the line slf4j-simple printed before, so nothing that reads the logs changes; a plain layout rather than a
        // pattern, whose parser and converters cost a third of a second at every start
        LayoutWrappingEncoder<ILoggingEvent> text = new LayoutWrappingEncoder<>();
        text.setContext(context);
        LayoutBase<ILoggingEvent> layout = new LayoutBase<>() {
            @Override
            public String doLayout(ILoggingEvent event) {
                StringBuilder line = new StringBuilder(128)
                        .append('[')
                        .append(event.getThreadName())
                        .append("] ")
                        .append(event.getLevel())
                        .append(' ')
                        .append(event.getLoggerName())
                        .append(" - ")
                        .append(event.getFormattedMessage())
                        .append('\n');
                if (event.getThrowableProxy() != null) {
                    line.append(ThrowableProxyUtil.asString(event.getThrowableProxy()))
                            .append('\n');
                }
                return line.toString();
            }
        };
        layout.setContext(context);
        layout.start();
        text.setLayout(layout);
        return text;
    }

    /** Logback's start-up configuration, found through the service loader: text on stderr until told otherwise. */
    @ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
    public static final class Default extends ContextAwareBase implements Configurator {
        @Override
        public ExecutionStatus configure(LoggerContext context) {
            TEXT.install(context, STDERR);
            return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
        }
    }
}
