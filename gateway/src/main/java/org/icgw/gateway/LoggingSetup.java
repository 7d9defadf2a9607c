package org.icgw.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.icgw.gateway.config.ConfigException;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link GatewayConfig.Logging} to Logback: the root level, and the encoder of the
 * console appenders that {@code logback.xml} declares: a text pattern with the call id
 * ({@code %X{call}}, put in the MDC by every call's thread) or Logback's {@link JsonEncoder}, one
 * JSON object per line with the MDC (so the {@code call} key) and the formatted message, for
 * log shippers.
 *
 * <p>The system property {@value #FORMAT_PROPERTY} ({@code text} or {@code json}) overrides
 * {@code logging.format}; Main applies it before the configuration is read, so that even the first
 * lines have the chosen form.
 */
public final class LoggingSetup {

    /** The system property that chooses the format over the configuration. */
    public static final String FORMAT_PROPERTY = "icgw.log.format";
    /** The text form: time, level, thread, logger, call id, message. */
    public static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} %X{call:-} - %msg%n";

    private LoggingSetup() {
    }

    /** The format the system property forces, if it is set. */
    public static Optional<GatewayConfig.Logging.Format> forcedFormat() {
        String value = System.getProperty(FORMAT_PROPERTY);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(GatewayConfig.Logging.Format.valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("-D" + FORMAT_PROPERTY, "'" + value + "' is not one of text, json");
        }
    }

    /**
     * Sets the root level and the format (the system property's, when set). Does nothing when the
     * SLF4J binding is not Logback.
     */
    public static void apply(GatewayConfig.Logging logging) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        GatewayConfig.Logging.Format format = forcedFormat().orElse(logging.format());
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(logging.level().name()));
        List<OutputStreamAppender<ILoggingEvent>> consoles = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out) {
                consoles.add(out);
            }
        }
        for (OutputStreamAppender<ILoggingEvent> out : consoles) {
            boolean json = out.getEncoder() instanceof JsonEncoder;
            if (json == (format == GatewayConfig.Logging.Format.JSON)) {
                continue;
            }
            Encoder<ILoggingEvent> encoder = format == GatewayConfig.Logging.Format.JSON ? jsonEncoder(context)
                    : textEncoder(context);
            // Swapped in place: stopping the appender would close its stream (System.out, or a
            // test's), and the encoders write no header.
            out.setEncoder(encoder);
        }
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        JsonEncoder e = new JsonEncoder();
        e.setContext(context);
        e.setWithContext(false);
        e.setWithSequenceNumber(false);
        e.setWithNanoseconds(false);
        e.setWithMessage(false);
        e.setWithArguments(false);
        e.setWithFormattedMessage(true);
        e.start();
        return e;
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(context);
        e.setPattern(TEXT_PATTERN);
        e.start();
        return e;
    }
}
