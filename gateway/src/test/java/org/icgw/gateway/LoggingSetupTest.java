package org.icgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@code logging.format} switches the console encoders between the text pattern and JSON lines. */
class LoggingSetupTest {

    final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    final ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> appender;
    Level rootLevel;

    @BeforeEach
    void attach() {
        rootLevel = root.getLevel();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(bytes);
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void detach() {
        root.detachAppender(appender);
        appender.stop();
        LoggingSetup.apply(GatewayConfig.Logging.DEFAULT);
        root.setLevel(rootLevel);
        MDC.clear();
    }

    List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonLinesCarryTheCallIdAndTheFormattedMessage() throws Exception {
        LoggingSetup.apply(new GatewayConfig.Logging(GatewayConfig.Logging.Format.JSON, GatewayConfig.Logging.Level.INFO));
        MDC.put("call", "c-123");
        LoggerFactory.getLogger("org.icgw.test").info("call ended: {} after {} s", "completed", 60);
        LoggerFactory.getLogger("org.icgw.test").debug("below the level");

        List<String> lines = lines();
        assertThat(lines).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(lines.getFirst());
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("loggerName").asText()).isEqualTo("org.icgw.test");
        assertThat(json.path("formattedMessage").asText()).isEqualTo("call ended: completed after 60 s");
        assertThat(json.path("mdc").path("call").asText()).isEqualTo("c-123");
        assertThat(json.path("threadName").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(json.path("timestamp").asLong()).isPositive();
        assertThat(json.has("arguments")).isFalse();
    }

    @Test
    void textLinesCarryTheCallIdAfterTheLogger() {
        LoggingSetup.apply(new GatewayConfig.Logging(GatewayConfig.Logging.Format.JSON, GatewayConfig.Logging.Level.INFO));
        LoggingSetup.apply(new GatewayConfig.Logging(GatewayConfig.Logging.Format.TEXT, GatewayConfig.Logging.Level.DEBUG));
        MDC.put("call", "c-456");
        LoggerFactory.getLogger("test.logging").debug("digit timeout");

        assertThat(lines()).singleElement().asString().matches(
                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} DEBUG \\[.+] test\\.logging c-456 - digit timeout");
        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
    }
}
