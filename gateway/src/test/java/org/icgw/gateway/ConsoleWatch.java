package org.icgw.gateway;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runs code that must not write to the console ({@code System.out}, {@code System.err}), such as a
 * parser fed a peer's bytes: a third-party parser that prints a stack trace per bad input turns a
 * flood of bad input into a flood of log. For single-threaded tests (the fuzz tests).
 */
public final class ConsoleWatch {

    /** What Jazzer's agent prints while the code runs (a class instrumented, coverage counters grown). */
    private static final Pattern JAZZER_INSTRUMENTATION_LOG = Pattern.compile(
            "(?m)^INFO: (Instrumented |New number of coverage counters).*\\R");
    /** How much of what was written the failure shows. */
    private static final int SHOWN = 400;

    private ConsoleWatch() {
    }

    /** {@code code}'s result; an {@link AssertionError} showing the start of what it wrote, if anything. */
    public static <T> T silent(Supplier<T> code) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(written, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        T result;
        try {
            result = code.get();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = JAZZER_INSTRUMENTATION_LOG.matcher(written.toString(StandardCharsets.UTF_8)).replaceAll("");
        if (!text.isEmpty()) {
            throw new AssertionError("wrote " + text.length() + " characters to the console: "
                    + text.substring(0, Math.min(SHOWN, text.length())));
        }
        return result;
    }
}
