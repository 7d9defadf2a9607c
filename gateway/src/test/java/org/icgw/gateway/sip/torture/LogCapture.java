package org.icgw.gateway.sip.torture;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Everything the process logs while attached to the root logger, encoded with the production
 * pattern of {@code logback.xml} (as the run command's console would print it) and measured: bytes,
 * lines, ERROR events, occurrences of a marker string, bytes per logger, the first lines.
 *
 * <p>With {@link Levels#PRODUCTION} the logger levels of {@code logback.xml} apply while attached,
 * and the root logger's other appenders are detached, so a flood is measured as production would
 * write it without flooding the test output; {@link #close()} restores both.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    /** Which logger levels apply while attached. */
    public enum Levels {
        /** The test configuration's levels; the other appenders keep writing. */
        TEST,
        /** The levels of the production {@code logback.xml}; the other root appenders are detached. */
        PRODUCTION
    }

    /** Lines kept for a report. */
    private static final int KEPT_LINES = 12;
    /** Characters of a kept line: enough to see what it is, never a whole flood. */
    private static final int KEPT_LINE_CHARS = 240;
    private static final Pattern PATTERN = Pattern.compile("<pattern>(.*?)</pattern>", Pattern.DOTALL);
    private static final Pattern LOGGER = Pattern.compile("<logger\\s+name=\"([^\"]+)\"\\s+level=\"([A-Za-z]+)\"");
    private static final Pattern ROOT = Pattern.compile("<root\\s+level=\"([A-Za-z]+)\"");

    private final String marker;
    private final LoggerContext context;
    private final PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    private final Map<String, Level> restoreLevels = new LinkedHashMap<>();
    private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    private final Map<String, Long> bytesByLogger = new TreeMap<>();
    private final List<String> firstLines = new ArrayList<>();
    private final List<String> firstErrors = new ArrayList<>();
    private volatile long bytes;
    private volatile long lines;
    private volatile long errors;
    private volatile long markerHits;

    private LogCapture(String marker) {
        this.marker = marker;
        this.context = (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    /**
     * Attaches a capture to the root logger.
     *
     * @param marker a string no log line may contain (counted in {@link #markerHits()})
     */
    public static LogCapture attach(String marker, Levels levels) {
        LogCapture capture = new LogCapture(marker);
        String config = productionConfig();
        Matcher pattern = PATTERN.matcher(config);
        if (!pattern.find()) {
            throw new IllegalStateException("logback.xml has no <pattern>");
        }
        capture.setContext(capture.context);
        capture.setName("log-capture");
        capture.encoder.setContext(capture.context);
        capture.encoder.setPattern(pattern.group(1).trim());
        capture.encoder.setCharset(StandardCharsets.UTF_8);
        capture.encoder.start();
        capture.start();
        Logger root = capture.context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (levels == Levels.PRODUCTION) {
            Matcher rootLevel = ROOT.matcher(config);
            if (rootLevel.find()) {
                capture.setLevel(root, Level.toLevel(rootLevel.group(1)));
            }
            Matcher logger = LOGGER.matcher(config);
            while (logger.find()) {
                capture.setLevel(capture.context.getLogger(logger.group(1)), Level.toLevel(logger.group(2)));
            }
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                capture.detached.add(it.next());
            }
            capture.detached.forEach(root::detachAppender);
        }
        root.addAppender(capture);
        return capture;
    }

    private void setLevel(Logger logger, Level level) {
        restoreLevels.putIfAbsent(logger.getName(), logger.getLevel());
        logger.setLevel(level);
    }

    private static String productionConfig() {
        try (InputStream in = LogCapture.class.getResourceAsStream("/logback.xml")) {
            if (in == null) {
                throw new IllegalStateException("no logback.xml on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        byte[] encoded = encoder.encode(event);
        String text = new String(encoded, StandardCharsets.UTF_8);
        bytes += encoded.length;
        lines += text.chars().filter(c -> c == '\n').count();
        bytesByLogger.merge(event.getLoggerName(), (long) encoded.length, Long::sum);
        for (int at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
            markerHits++;
        }
        String line = text.length() > KEPT_LINE_CHARS ? text.substring(0, KEPT_LINE_CHARS) + "..." : text.strip();
        if (firstLines.size() < KEPT_LINES) {
            firstLines.add(line);
        }
        if (event.getLevel() == Level.ERROR) {
            errors++;
            if (firstErrors.size() < KEPT_LINES) {
                firstErrors.add(line);
            }
        }
    }

    /** Bytes written so far. */
    public long bytes() {
        return bytes;
    }

    /** Lines written so far (a stack trace is many lines). */
    public long lines() {
        return lines;
    }

    /** Events logged at ERROR so far. */
    public long errors() {
        return errors;
    }

    /** How often the marker appeared in what was written. */
    public long markerHits() {
        return markerHits;
    }

    /**
     * Waits until nothing has been written for {@code quiet}, at most {@code max}: the logging a
     * flood set off has ended.
     */
    public void awaitQuiet(Duration quiet, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        long seen = bytes;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            long now = bytes;
            if (now != seen) {
                seen = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= quiet.toNanos()) {
                return;
            }
        }
    }

    /** A report: totals, the loggers that wrote most, the first lines and the first errors. */
    public synchronized String report() {
        String top = bytesByLogger.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .map(e -> e.getKey() + "=" + e.getValue() + " B").collect(Collectors.joining(", "));
        return bytes + " bytes in " + lines + " lines, " + errors + " ERROR events, marker seen " + markerHits
                + " times; by logger: " + top
                + "\nfirst lines:\n  " + String.join("\n  ", firstLines)
                + (firstErrors.isEmpty() ? "" : "\nfirst ERROR lines:\n  " + String.join("\n  ", firstErrors));
    }

    /** Detaches the capture and restores the levels and appenders it changed. */
    @Override
    public void close() {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(this);
        detached.forEach(root::addAppender);
        restoreLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
        stop();
        encoder.stop();
    }
}
