package org.icgw.gateway.sip.b2bua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dial strings taken from a Request-URI user part, and those refused. */
class DialedDigitsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            5735550123                        | 5735550123
            +15735550123                      | +15735550123
            0                                 | 0
            *67                               | *67
            0%23                              | 0#
            0%2a                              | 0*
            +1(573)555-01.23                  | +1(573)555-01.23
            55555555555555555555555555555555  | 55555555555555555555555555555555
            """)
    void taken(String userPart, String dialed) {
        assertThat(DialedDigits.read(userPart)).contains(dialed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            555555555555555555555555555555555 | one past the bound
            5735550x23                        | a letter
            5735550123;ext=1                  | a parameter
            573 555                           | a space
            %2                                | a cut escape
            %zz1                              | not an escape
            5%00                              | an escaped NUL
            5%25                              | an escaped percent
            """)
    void refused(String userPart, String why) {
        assertThat(DialedDigits.read(userPart)).as(why).isEqualTo(Optional.empty());
    }

    @org.junit.jupiter.api.Test
    void escapesCountOnceDecodedAndALongUserPartIsRefusedUnread() {
        assertThat(DialedDigits.read("%35".repeat(DialedDigits.MAX_LENGTH))).contains("5".repeat(DialedDigits.MAX_LENGTH));
        assertThat(DialedDigits.read("%35".repeat(DialedDigits.MAX_LENGTH + 1))).isEmpty();
        assertThat(DialedDigits.read("5".repeat(10_000))).isEmpty();
    }
}
