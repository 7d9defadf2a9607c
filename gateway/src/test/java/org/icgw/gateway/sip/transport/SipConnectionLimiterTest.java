package org.icgw.gateway.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The connection counts at their bounds and one past. */
class SipConnectionLimiterTest {

    private final SipConnectionLimiter limiter = new SipConnectionLimiter(3, 2);

    @Test
    void perSourceAndTotalLimits() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        InetAddress c = InetAddress.getByName("192.0.2.3");

        assertThat(limiter.tryOpen(a)).isEqualTo(SipConnectionLimiter.Admission.OPEN);
        assertThat(limiter.tryOpen(a)).isEqualTo(SipConnectionLimiter.Admission.OPEN);
        assertThat(limiter.tryOpen(a)).isEqualTo(SipConnectionLimiter.Admission.PER_SOURCE);
        assertThat(limiter.tryOpen(b)).isEqualTo(SipConnectionLimiter.Admission.OPEN);
        assertThat(limiter.tryOpen(c)).isEqualTo(SipConnectionLimiter.Admission.TOTAL);
        assertThat(limiter.open()).isEqualTo(3);

        limiter.closed(a);

        assertThat(limiter.tryOpen(c)).isEqualTo(SipConnectionLimiter.Admission.OPEN);
        assertThat(limiter.tryOpen(a)).isEqualTo(SipConnectionLimiter.Admission.TOTAL);
        assertThat(limiter.open()).isEqualTo(3);
    }
}
