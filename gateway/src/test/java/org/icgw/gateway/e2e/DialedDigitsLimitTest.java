package org.icgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.icgw.gateway.Gateway;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.store.CdrQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dialed digits are checked at the INVITE, before a call starts (issue 10: a 200-digit number
 * once made its CDR fail to store and every later CDR wait behind it). Over real SIP against an
 * in-process gateway: a registered, authenticated terminal dialing a number past the bound or
 * with a character no keypad has gets 404, and the store is left as it was; a number at the
 * bound is answered and its CDR stored whole.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DialedDigitsLimitTest {
    /** The bound the gateway enforces: {@code DialedDigits.MAX_LENGTH}. */
    private static final int MAX = 32;

    @TempDir
    Path data;
    private Gateway gateway;
    private FakeTerminal phone;
    private FakeTrunk trunk;

    @BeforeEach
    void start() throws Exception {
        int port = FreePorts.udpAndTcp();
        trunk = new FakeTrunk(port);
        gateway = SeededGateway.start(data, port, List.of(trunk.port()));
        phone = new FakeTerminal(port, "pod-1", "pod-1-secret");
        assertThat(phone.register()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (phone != null) {
            phone.close();
        }
        if (trunk != null) {
            trunk.close();
        }
    }

    private long balance() {
        return gateway.store().account(GatewayCallTest.ACCOUNT).orElseThrow().balanceCents();
    }

    @Test
    void aDialStringPastTheBoundOrNotDialableGets404AndLeavesTheStoreUnchanged() throws Exception {
        long balance = balance();
        for (String dialed : List.of("5".repeat(200), "5".repeat(MAX + 1), "57355501x3", "5735550123%25", "%00123")) {
            SipMessage response = phone.invite(dialed, phone.sdp());
            assertThat(response.status()).as(dialed).isEqualTo(404);
        }
        assertThat(gateway.calls().active()).isEmpty();
        assertThat(gateway.store().callRecords(CdrQuery.all())).isEmpty();
        assertThat(gateway.store().rejectedWrites(0, 10)).isEmpty();
        assertThat(gateway.calls().pendingStoreWrites()).isZero();
        assertThat(balance()).isEqualTo(balance);
        assertThat(gateway.store().account(GatewayCallTest.ACCOUNT).orElseThrow().reservedCents()).isZero();
        assertThat(trunk.poll(SipPeer.request("INVITE"), Duration.ofMillis(200))).isEmpty();
        assertThat(gateway.meters().scrape()).contains("\nicgw_store_writes_pending 0.0\n")
                .contains("\nicgw_store_write_wait_seconds 0.0\n")
                .contains("\nicgw_store_writes_repaired_total 0.0\n")
                .contains("\nicgw_store_writes_set_aside_total 0.0\n");
    }

    @Test
    void aDialStringAtTheBoundIsAnsweredAndItsCdrStoredWhole() throws Exception {
        String dialed = "5".repeat(MAX);
        SipMessage ok = phone.invite(dialed, phone.sdp());
        assertThat(ok.status()).isEqualTo(200);
        phone.ack();
        assertThat(phone.bye()).isEqualTo(200);

        CallRecord cdr = GatewayCallTest.await(() -> gateway.store().callRecords(CdrQuery.all()).stream().findFirst(),
                "the CDR");
        assertThat(cdr.dialed()).isEqualTo(dialed);
        assertThat(cdr.repaired()).isFalse();
        assertThat(cdr.chargeCents()).isZero();
    }

    @Test
    void keypadSymbolsAndVisualSeparatorsAreDialable() throws Exception {
        SipMessage ok = phone.invite("+1(573)555-01.23%23", phone.sdp());
        assertThat(ok.status()).isEqualTo(200);
        phone.ack();
        assertThat(phone.bye()).isEqualTo(200);

        CallRecord cdr = GatewayCallTest.await(() -> gateway.store().callRecords(CdrQuery.all()).stream().findFirst(),
                "the CDR");
        assertThat(cdr.dialed()).as("the escape decoded").isEqualTo("+1(573)555-01.23#");
    }
}
