package org.icgw.gateway.sip.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The corpus files, {@link Rfc4475Case} and the README's table agree, and the files frame themselves. */
class Rfc4475CorpusTest {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(?:content-length|l)[ \\t]*:[ \\t]*(-?\\d+)[ \\t]*$");

    @Test
    void everyCaseHasItsFileAndNoFileIsWithoutACase() throws Exception {
        Path directory = Path.of(Rfc4475Corpus.class.getResource(Rfc4475Corpus.DIRECTORY).toURI());
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sip")).sorted())
                    .containsExactlyElementsOf(Arrays.stream(Rfc4475Case.values()).map(c -> c.shortName() + ".sip")
                            .sorted().toList());
        }
        assertThat(Rfc4475Case.values()).hasSize(49);
    }

    @Test
    void readmeTableGivesEachCaseTheSectionVerdictAndOutcomesTheTestChecks() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : Rfc4475Corpus.readme().lines().toList()) {
            List<String> cells = Arrays.stream(line.split("\\|")).map(String::strip).toList();
            if (line.startsWith("| ") && cells.size() == 8 && !cells.get(1).equals("Case")) {
                rows.put(cells.get(1), cells);
            }
        }
        assertThat(rows.keySet()).containsExactlyElementsOf(
                Arrays.stream(Rfc4475Case.values()).map(Rfc4475Case::shortName).toList());
        for (Rfc4475Case c : Rfc4475Case.values()) {
            List<String> row = rows.get(c.shortName());
            assertThat(row.get(2)).as(c + " section").isEqualTo(c.section());
            assertThat(row.get(4)).as(c + " verdict").isEqualTo(c.verdict().text());
            assertThat(row.get(6)).as(c + " UDP outcome").isEqualTo(c.outcome("UDP").describe());
            assertThat(row.get(7)).as(c + " TCP outcome").isEqualTo(c.outcome("TCP").describe());
        }
    }

    @ParameterizedTest
    @EnumSource(Rfc4475Case.class)
    void fileUsesCrlfCarriesTheRunTokenAndKeepsPlaceholdersOutOfItsBody(Rfc4475Case c) {
        String text = new String(Rfc4475Corpus.raw(c), StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        String head = text.substring(0, headEnd + 2);
        assertThat(headEnd).as("end of the header section").isPositive();
        assertThat(head.replace("\r\n", "")).as("bare CR or LF in the header section").doesNotContain("\r", "\n");
        assertThat(head).contains(Rfc4475Corpus.RUN);
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (length.find() && !length.group(1).startsWith("-")) {
            int declared = Integer.parseInt(length.group(1));
            String framed = text.substring(headEnd + 4, Math.min(text.length(), headEnd + 4 + declared));
            assertThat(framed).doesNotContain("${");
        }
    }

    /** A valid message's Content-Length frames exactly its body (dblreq's extra octets and inv2543 aside). */
    @ParameterizedTest
    @MethodSource("validFramedByContentLength")
    void validMessagesDeclareTheirExactBodyLength(Rfc4475Case c) {
        byte[] raw = Rfc4475Corpus.raw(c);
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        List<Integer> declared = CONTENT_LENGTH.matcher(text.substring(0, headEnd + 2)).results()
                .map(m -> Integer.parseInt(m.group(1))).collect(Collectors.toList());
        assertThat(declared).as(c + " Content-Length").hasSize(1);
        assertThat(raw.length - headEnd - 4).as(c + " body length").isEqualTo(declared.getFirst());
    }

    static Stream<Rfc4475Case> validFramedByContentLength() {
        return Arrays.stream(Rfc4475Case.values()).filter(c -> c.verdict() == Rfc4475Case.Verdict.VALID)
                .filter(c -> c != Rfc4475Case.DBLREQ && c != Rfc4475Case.INV2543);
    }

    @Test
    void renderingFillsPlaceholdersAndKeepsBinaryBytes() {
        byte[] rendered = Rfc4475Corpus.render(Rfc4475Case.INTMETH, "127.0.0.1:5999", "r1");
        String text = new String(rendered, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("~Odd.Method-42_*+`!%'x sip:").contains("@127.0.0.1:5999 SIP/2.0\r\n")
                .contains("z9hG4bK-r1.").doesNotContain("${").contains("NUL:\\\0 DEL:\\\u007f");
        assertThat(rendered.length).isEqualTo(Rfc4475Corpus.raw(Rfc4475Case.INTMETH).length
                + 2 * ("127.0.0.1:5999".length() - "${gw}".length()) + 3 * ("r1".length() - "${run}".length()));
    }
}
