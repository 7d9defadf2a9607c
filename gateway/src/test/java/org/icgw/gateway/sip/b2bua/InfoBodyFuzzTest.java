package org.icgw.gateway.sip.b2bua;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of the SIP INFO body reader. The input's first line is the
 * {@code Content-Type} (an empty first line: none), the rest the body, read as UTF-8. In the test
 * run only the seeds under {@code InfoBodyFuzzTestInputs/} run; {@code deploy/fuzz.sh info}
 * fuzzes.
 *
 * <p>{@link InfoBody#read} never throws, and a digit it reads is a keypad key.
 */
class InfoBodyFuzzTest {

    @FuzzTest
    void read(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String type = newline < 0 ? text : text.substring(0, newline).strip();
        String body = newline < 0 ? "" : text.substring(newline + 1);
        Optional<String> contentType = type.isEmpty() ? Optional.empty() : Optional.of(type);

        switch (InfoBody.read(contentType, body)) {
            case InfoBody.Digit digit -> assertThat("0123456789*#ABCD").contains(String.valueOf(digit.digit()));
            case InfoBody.Flash flash -> assertThat(contentType).isPresent();
            case InfoBody.Empty empty -> assertThat(body).isBlank();
            case InfoBody.Unsupported unsupported -> assertThat(unsupported.contentType()).isNotNull();
            case InfoBody.Malformed malformed -> assertThat(malformed.detail()).isNotNull();
        }
    }
}
