package org.icgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.icgw.gateway.Gateway;
import org.icgw.gateway.GatewayConfig;
import org.icgw.gateway.call.CallState;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.store.CdrQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With every logger at DEBUG and a capturing appender on the root, the seed load, a REGISTER, a
 * call with a wrong PIN then the right one, and the configuration itself leave no PIN, pepper or
 * SIP password in any message, argument or MDC value.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretsNotLoggedTest {

    static final String WRONG_PIN = "979797";

    @TempDir
    Path data;

    @Test
    void seedLoadRegistrationAndPinEntryLogNoSecret() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Logger icgw = context.getLogger("org.icgw");
        Level rootLevel = root.getLevel();
        Level icgwLevel = icgw.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(context);
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.DEBUG);
        icgw.setLevel(Level.TRACE);
        try {
            placeCall();
        } finally {
            root.detachAppender(captured);
            root.setLevel(rootLevel);
            icgw.setLevel(icgwLevel);
        }

        List<String> texts = captured.list.stream().map(SecretsNotLoggedTest::everything).toList();
        assertThat(texts).anyMatch(t -> t.contains("provisioned from"));
        assertThat(texts).anyMatch(t -> t.contains("configuration: GatewayConfig["));
        assertThat(texts).anyMatch(t -> t.contains("call ended: completed"));
        for (String secret : List.of(GatewayCallTest.PIN, WRONG_PIN, GatewayCallTest.PEPPER, "pod-1-secret")) {
            assertThat(texts).as("log lines holding %s", secret).noneMatch(t -> t.contains(secret));
        }
    }

    void placeCall() throws Exception {
        int port = FreePorts.udpAndTcp();
        Path seed = data.resolve("seed.yaml");
        try (InputStream in = SecretsNotLoggedTest.class.getResourceAsStream("/e2e/seed.yaml")) {
            Files.copy(in, seed);
        }
        try (FakeTrunk trunk = new FakeTrunk(port)) {
            GatewayConfig config = GatewayCallTest.config(data, port, seed, List.of(trunk.port()));
            LoggerFactory.getLogger(SecretsNotLoggedTest.class).info("configuration: {}", config);
            try (Gateway gateway = Gateway.start(config);
                 FakeTerminal phone = new FakeTerminal(port, "pod-1", "pod-1-secret")) {
                assertThat(phone.register()).isEqualTo(200);
                assertThat(phone.invite(GatewayCallTest.CALLEE, phone.sdp()).status()).isEqualTo(200);
                phone.ack();
                phone.infoDigits(WRONG_PIN);
                phone.infoDigits(GatewayCallTest.PIN);
                trunk.awaitInvite();
                trunk.answer();
                assertThat(trunk.infoDigit("application/dtmf", "1")).isEqualTo(200);
                GatewayCallTest.await(() -> gateway.calls().active().stream()
                        .filter(c -> c.state() == CallState.BRIDGED).findFirst(), "a bridged call");
                assertThat(phone.bye()).isEqualTo(200);
                trunk.awaitAndAnswer("BYE", 200, "OK");
                assertThat(GatewayCallTest.await(() -> gateway.store().callRecords(CdrQuery.all()).stream().findFirst(),
                        "a CDR").disposition()).isEqualTo(Disposition.COMPLETED);
                assertThat(gateway.store().callRecords(CdrQuery.all())).hasSize(1);
            }
        }
    }

    /** The message, its arguments, the MDC and the exception of one event, as text. */
    static String everything(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(e.getFormattedMessage()).append(' ').append(e.getMDCPropertyMap());
        if (e.getArgumentArray() != null) {
            for (Object a : e.getArgumentArray()) {
                sb.append(' ').append(a);
            }
        }
        if (e.getThrowableProxy() != null) {
            sb.append(' ').append(e.getThrowableProxy().getMessage());
        }
        return sb.toString();
    }
}
