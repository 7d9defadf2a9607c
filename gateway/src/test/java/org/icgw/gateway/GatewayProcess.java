package org.icgw.gateway;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * {@link Main} in a child JVM, as an operator starts it: the main classes and the dependencies
 * of this test run's class path (not the test classes, so the shipped {@code logback.xml} is
 * used), stdout and stderr each to a file. {@link #close()} kills a child still running.
 */
public final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;

    private GatewayProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code Main args} with only {@code env} (plus PATH) in its environment; output files in {@code dir}. */
    public static GatewayProcess start(Path dir, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith("test-classes")) {
                classPath.add(entry);
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(Main.class.getName());
        command.addAll(Arrays.asList(args));
        Path out = dir.resolve("stdout.log");
        Path err = dir.resolve("stderr.log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> !k.equals("PATH"));
        pb.environment().putAll(env);
        return new GatewayProcess(pb.start(), out, err);
    }

    public Process process() {
        return process;
    }

    /** Waits for the exit; its code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the gateway did not exit within " + timeout + "; its output:\n" + stdout());
        }
        return process.exitValue();
    }

    /** Sends SIGTERM ({@link Process#destroy()} does on Linux). */
    public void terminate() {
        process.destroy();
    }

    public String stdout() {
        return read(out);
    }

    public List<String> stderrLines() {
        return read(err).lines().toList();
    }

    /** Waits until a line of stdout matches. */
    public String awaitLine(Predicate<String> what, Duration timeout, String description) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : stdout().lines().toList()) {
                if (what.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new AssertionError("no " + description + " within " + timeout + "; output:\n" + stdout()
                + "\nstderr:\n" + read(err));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
