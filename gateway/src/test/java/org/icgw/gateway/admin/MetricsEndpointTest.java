package org.icgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.icgw.gateway.call.CallEvent;
import org.icgw.gateway.metrics.GatewayMetrics;
import org.icgw.gateway.metrics.MicrometerCallMetrics;
import org.icgw.media.RtpTotals;
import org.icgw.policy.model.Disposition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} scraped over HTTP after driving the call metrics: the contract's names with exact values. */
class MetricsEndpointTest {
    @TempDir
    Path tmp;
    private AdminHarness h;

    @BeforeEach
    void start() {
        h = new AdminHarness(tmp);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void theContractsMetricsCarryExactlyWhatWasReported() {
        MicrometerCallMetrics m = new MicrometerCallMetrics(h.registry);
        AtomicInteger active = new AtomicInteger(2);
        AtomicReference<RtpTotals> rtp = new AtomicReference<>(new RtpTotals(1500, 1490, 7));
        GatewayMetrics.bindGauges(h.registry, active::get, () -> 5);
        GatewayMetrics.bindMedia(h.registry, rtp::get);
        for (int i = 0; i < 3; i++) {
            m.callStarted();
        }
        m.callEnded(Disposition.COMPLETED);
        m.callEnded(Disposition.COMPLETED);
        m.callEnded(Disposition.INVESTIGATOR_DISCONNECT);
        m.setupTime(Duration.ofMillis(1500));
        m.setupTime(Duration.ofSeconds(4));
        m.digit(CallEvent.DigitMethod.RFC4733);
        m.digit(CallEvent.DigitMethod.RFC4733);
        m.digit(CallEvent.DigitMethod.SIP_INFO);
        m.threeWay("dial_tone");
        m.threeWay("refer");
        m.threeWay("refer");
        m.announcement();

        // The gauges' suppliers are referenced by nothing else: a weakly held one would read NaN now.
        System.gc();
        AdminHarness.Response r = h.get("/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        String text = r.text();
        assertThat(text).as(text).contains(
                "\nicgw_calls_active 2.0\n", "\nicgw_calls_started_total 3.0\n",
                "\nicgw_registrations_active 5.0\n",
                "\nicgw_calls_total{disposition=\"completed\"} 2.0\n",
                "\nicgw_calls_total{disposition=\"investigator_disconnect\"} 1.0\n",
                "\nicgw_calls_total{disposition=\"denied\"} 0.0\n",
                "\n# TYPE icgw_call_setup_seconds histogram\n",
                "\nicgw_call_setup_seconds_bucket{le=\"1.0\"} 0\n",
                "\nicgw_call_setup_seconds_bucket{le=\"2.0\"} 1\n",
                "\nicgw_call_setup_seconds_bucket{le=\"5.0\"} 2\n",
                "\nicgw_call_setup_seconds_bucket{le=\"+Inf\"} 2\n",
                "\nicgw_call_setup_seconds_count 2\n",
                "\nicgw_call_setup_seconds_sum 5.5\n",
                "\nicgw_rtp_packets_total{direction=\"in\"} 1500.0\n",
                "\nicgw_rtp_packets_total{direction=\"out\"} 1490.0\n",
                "\nicgw_rtp_packets_lost_total 7.0\n",
                "\nicgw_dtmf_digits_total{method=\"rfc4733\"} 2.0\n",
                "\nicgw_dtmf_digits_total{method=\"sip_info\"} 1.0\n",
                "\nicgw_dtmf_digits_total{method=\"inband\"} 0.0\n",
                "\nicgw_three_way_detections_total{signal=\"dial_tone\"} 1.0\n",
                "\nicgw_three_way_detections_total{signal=\"refer\"} 2.0\n",
                "\nicgw_three_way_detections_total{signal=\"callee_dtmf\"} 0.0\n",
                "\nicgw_announcements_total 1.0\n",
                "\njvm_memory_used_bytes{", "\njvm_threads_live_threads ", "\nsystem_cpu_count ", "\njvm_gc_");

        active.set(0);
        rtp.set(new RtpTotals(1600, 1590, 9));
        String later = h.get("/metrics", null).text();
        assertThat(later).contains("\nicgw_calls_active 0.0\n", "\nicgw_rtp_packets_total{direction=\"in\"} 1600.0\n",
                "\nicgw_rtp_packets_lost_total 9.0\n");
    }
}
