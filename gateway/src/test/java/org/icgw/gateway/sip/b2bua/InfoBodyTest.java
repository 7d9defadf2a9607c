package org.icgw.gateway.sip.b2bua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** INFO bodies to digits and flashes. */
class InfoBodyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/dtmf-relay|Signal=5\\r\\nDuration=160\\r\\n|5",
            "application/dtmf-relay|signal= *\\nDuration=100|*",
            "Application/DTMF-Relay|Signal=#\\r\\n|#",
            "application/dtmf-relay|Signal=11\\r\\n|#",
            "application/dtmf-relay|Signal=10\\r\\n|*",
            "application/dtmf-relay|Signal=12\\r\\n|A",
            "application/dtmf|5|5",
            "application/dtmf|d|D"})
    void digits(String type, String body, char digit) {
        assertThat(InfoBody.read(Optional.of(type), body.replace("\\r", "\r").replace("\\n", "\n")))
                .isEqualTo(new InfoBody.Digit(digit));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/dtmf-relay|Signal=16\\r\\nDuration=200\\r\\n",
            "application/dtmf-relay|Signal=!\\r\\n",
            "application/dtmf|16",
            "application/hook-flash|signal=hf"})
    void flashes(String type, String body) {
        assertThat(InfoBody.read(Optional.of(type), body.replace("\\r", "\r").replace("\\n", "\n")))
                .isEqualTo(new InfoBody.Flash());
    }

    @Test
    void unknownTypeIsUnsupported() {
        assertThat(InfoBody.read(Optional.of("text/plain"), "hello")).isEqualTo(new InfoBody.Unsupported("text/plain"));
    }

    @Test
    void badBodiesAreMalformed() {
        assertThat(InfoBody.read(Optional.of("application/dtmf-relay"), "Duration=100"))
                .isInstanceOf(InfoBody.Malformed.class);
        assertThat(InfoBody.read(Optional.of("application/dtmf"), "55")).isInstanceOf(InfoBody.Malformed.class);
        assertThat(InfoBody.read(Optional.of("application/dtmf"), "")).isInstanceOf(InfoBody.Malformed.class);
    }

    @Test
    void emptyInfoIsAKeepAlive() {
        assertThat(InfoBody.read(Optional.empty(), "")).isEqualTo(new InfoBody.Empty());
    }
}
