package org.icgw.gateway.sip;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs SIPp (Debian {@code sip-tester}) in the foreground on one scenario of {@code test-scenarios/}
 * and reports its exit code and output. A missing binary fails the test, never skips it.
 */
public final class Sipp {

    /** SIPp's own limit ({@code -timeout}); the process is killed if it outlives this plus a margin. */
    private static final int TIMEOUT_SECONDS = 20;

    /** What a SIPp run left: its exit code (0 = every call succeeded) and everything it wrote. */
    public record Run(int exitCode, String output) {
    }

    private Sipp() {
    }

    /** The {@code sipp} executable on the PATH. */
    public static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "sipp");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("sipp is not installed (Debian package sip-tester 3.6.1): "
                + "run `apt-get update && apt-get install -y sip-tester` before the tests");
    }

    /**
     * Runs one call of {@code scenario} against the endpoint on 127.0.0.1.
     *
     * @param transport {@code "UDP"} or {@code "TCP"}
     * @param extra     more SIPp options, e.g. {@code -s 1001 -au 1001 -ap secret}
     */
    public static Run run(String scenario, int serverPort, String transport, String... extra) throws IOException, InterruptedException {
        Path scenarioFile = Path.of("..", "test-scenarios", scenario);
        if (!Files.isRegularFile(scenarioFile)) {
            throw new AssertionError("no scenario " + scenarioFile.toAbsolutePath());
        }
        Path workDir = Files.createDirectories(Path.of("target", "sipp"));
        Path log = Files.createTempFile(workDir, scenario.replace(".xml", "-"), ".out");
        Path errors = workDir.resolve(log.getFileName().toString().replace(".out", ".errors"));
        Path messages = workDir.resolve(log.getFileName().toString().replace(".out", ".messages"));
        List<String> command = new ArrayList<>(List.of(
                binary().toString(), "127.0.0.1:" + serverPort,
                "-sf", scenarioFile.toString(),
                "-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udpAndTcp()),
                "-t", transport.equals("TCP") ? "t1" : "u1",
                "-m", "1", "-timeout", TIMEOUT_SECONDS + "s", "-timeout_error", "-nostdin",
                "-trace_err", "-error_file", errors.toString(),
                "-trace_msg", "-message_file", messages.toString()));
        command.addAll(Arrays.asList(extra));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS + 10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("sipp (pid " + process.pid() + ") outlived its timeout and was killed; output:\n"
                    + Files.readString(log));
        }
        String output = Files.readString(log) + (Files.exists(errors) ? "\n--- errors ---\n" + Files.readString(errors) : "");
        return new Run(process.exitValue(), output);
    }
}
