package org.icgw.gateway.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.icgw.gateway.sip.Sipp;

/**
 * One SIPp process playing one party of a call (the inmate's terminal as UAC, or the trunk and
 * callee as UAS) on one scenario of {@code test-scenarios/}, started in the background so that
 * both parties run at once. Its exit code is 0 when its one call went exactly as the scenario
 * expects. It is killed by its pid if it outlives its time limit or the test.
 */
final class SippAgent implements AutoCloseable {
    /** Extra wall time past SIPp's own {@code -timeout} before the process is killed. */
    private static final Duration KILL_MARGIN = Duration.ofSeconds(5);
    private static final Pattern TRACE_HEADER = Pattern.compile(
            "^-{10,} (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6})\\R(UDP|TCP) message (received|sent)[^\\n]*\\R\\R",
            Pattern.MULTILINE);
    private static final DateTimeFormatter TRACE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** What SIPp traced: one message with when it was received or sent. */
    record Message(Instant at, boolean received, String text) {
        /** The first line: the request line or the status line. */
        String firstLine() {
            int end = text.indexOf('\n');
            return (end < 0 ? text : text.substring(0, end)).strip();
        }

        boolean isRequest(String method) {
            return firstLine().startsWith(method + " ");
        }
    }

    /** The outcome of a finished run. */
    record Result(String name, int exitCode, String output, List<Message> messages) {
        /** Everything worth reading when an assertion fails. */
        String report() {
            StringBuilder sb = new StringBuilder("--- sipp ").append(name).append(" exit ").append(exitCode).append('\n')
                    .append(output).append("\n--- messages ---\n");
            for (Message m : messages) {
                sb.append(m.at()).append(m.received() ? " <- " : " -> ").append(m.firstLine()).append('\n');
            }
            return sb.toString();
        }

        List<Message> received(String method) {
            return messages.stream().filter(m -> m.received() && m.isRequest(method)).toList();
        }
    }

    private final String name;
    private final Process process;
    private final Duration limit;
    private final Instant startedAt = Instant.now();
    private final Path log;
    private final Path errors;
    private final Path trace;
    private Result result;

    private SippAgent(String name, Process process, Duration limit, Path log, Path errors, Path trace) {
        this.name = name;
        this.process = process;
        this.limit = limit;
        this.log = log;
        this.errors = errors;
        this.trace = trace;
    }

    /**
     * Starts SIPp on {@code scenario} in {@code workDir} (where it finds the pcap files the test
     * wrote), bound to 127.0.0.1 on {@code sipPort} with RTP from {@code mediaPort}.
     *
     * @param remote  {@code host:port} to send to (a UAC), or null (a UAS waiting for the call)
     * @param timeout SIPp's {@code -timeout}: the run fails if the call is not over by then
     * @param extra   more options: {@code -key name value}, {@code -set var value}, {@code -au}, ...
     */
    static SippAgent start(String name, String scenario, Path workDir, String remote, int sipPort, int mediaPort,
                           Duration timeout, String... extra) {
        Path scenarioFile = Path.of("..", "test-scenarios", scenario).toAbsolutePath().normalize();
        if (!Files.isRegularFile(scenarioFile)) {
            throw new AssertionError("no scenario " + scenarioFile);
        }
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve(name + ".out");
            Path errors = workDir.resolve(name + ".errors");
            Path trace = workDir.resolve(name + ".messages");
            List<String> command = new ArrayList<>();
            command.add(Sipp.binary().toString());
            if (remote != null) {
                command.add(remote);
            }
            command.addAll(List.of("-sf", scenarioFile.toString(),
                    "-i", "127.0.0.1", "-p", Integer.toString(sipPort), "-mi", "127.0.0.1",
                    "-mp", Integer.toString(mediaPort), "-t", "u1", "-m", "1",
                    "-timeout", timeout.toSeconds() + "s", "-timeout_error", "-nostdin",
                    "-trace_err", "-error_file", errors.toString(),
                    "-trace_msg", "-message_file", trace.toString()));
            command.addAll(Arrays.asList(extra));
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new SippAgent(name, p, timeout.plus(KILL_MARGIN), log, errors, trace);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sipp for " + scenario, e);
        }
    }

    /** Waits for the run to end (killing the process by pid past its limit) and reads what it left. */
    Result await() {
        if (result != null) {
            return result;
        }
        long leftMillis = Math.max(0, limit.toMillis() - Duration.between(startedAt, Instant.now()).toMillis());
        int exit;
        try {
            if (process.waitFor(leftMillis, TimeUnit.MILLISECONDS)) {
                exit = process.exitValue();
            } else {
                kill();
                exit = -1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            exit = -2;
        }
        result = new Result(name, exit, read(log) + (exit == -1 ? "\n(killed by the test: outlived its time limit)" : "")
                + "\n--- errors ---\n" + read(errors), parse(read(trace)));
        return result;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process by its pid if it still runs, and waits for it to go. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void kill() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Splits SIPp's {@code -trace_msg} file into messages; its times are the local wall clock. */
    static List<Message> parse(String trace) {
        List<Message> out = new ArrayList<>();
        Matcher m = TRACE_HEADER.matcher(trace);
        int lastEnd = -1;
        Instant lastAt = null;
        boolean lastReceived = false;
        while (m.find()) {
            if (lastEnd >= 0) {
                out.add(new Message(lastAt, lastReceived, trace.substring(lastEnd, m.start()).strip()));
            }
            lastAt = LocalDateTime.parse(m.group(1), TRACE_TIME).atZone(ZoneId.systemDefault()).toInstant();
            lastReceived = m.group(3).equals("received");
            lastEnd = m.end();
        }
        if (lastEnd >= 0) {
            out.add(new Message(lastAt, lastReceived, trace.substring(lastEnd).strip()));
        }
        return out;
    }
}
