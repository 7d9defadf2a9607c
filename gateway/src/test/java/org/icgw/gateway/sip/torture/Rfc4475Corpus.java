package org.icgw.gateway.sip.torture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the corpus files and fills in their placeholders: {@code ${gw}}, the gateway's
 * {@code host:port}, and {@code ${run}}, a token unique to one sending, so that a message sent over
 * UDP and again over TCP is a new transaction each time. Every other byte is sent as written.
 */
public final class Rfc4475Corpus {

    /** Where the files are on the test class path. */
    public static final String DIRECTORY = "/torture/rfc4475/";
    public static final String GATEWAY = "${gw}";
    public static final String RUN = "${run}";

    private Rfc4475Corpus() {
    }

    /** The bytes of a case's file, placeholders unfilled. */
    public static byte[] raw(Rfc4475Case c) {
        return resource(c.shortName() + ".sip");
    }

    /** The README next to the files. */
    public static String readme() {
        return new String(resource("README.md"), StandardCharsets.UTF_8);
    }

    /** A case's message as sent: placeholders replaced byte for byte. */
    public static byte[] render(Rfc4475Case c, String gatewayHostPort, String run) {
        // ISO-8859-1 maps each byte to one char and back, so binary bytes pass through untouched.
        String text = new String(raw(c), StandardCharsets.ISO_8859_1);
        return text.replace(GATEWAY, gatewayHostPort).replace(RUN, run).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Rfc4475Corpus.class.getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException("missing corpus file " + DIRECTORY + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
