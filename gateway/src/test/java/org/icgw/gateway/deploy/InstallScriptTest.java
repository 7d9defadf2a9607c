package org.icgw.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/install.sh} into a temporary root ({@code --destdir}): the tree the systemd unit
 * expects, generated secrets kept across a second install, and an installed launcher that runs
 * Main with the installed sample configuration.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InstallScriptTest {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    /** The jars install.sh takes: this run's class path, class folders packed as jars. */
    Path buildOutput() throws Exception {
        Path from = Files.createDirectories(tmp.resolve("from"));
        ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith("test-classes")) {
                continue;
            }
            if (Files.isDirectory(p)) {
                StringWriter err = new StringWriter();
                int rc = jar.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "--create", "--file",
                        from.resolve("classes-" + (n++) + ".jar").toString(), "-C", p.toString(), ".");
                assertThat(rc).as(err.toString()).isZero();
            } else if (entry.endsWith(".jar")) {
                Files.copy(p, from.resolve(p.getFileName()));
            }
        }
        return from;
    }

    record Run(int exit, String output) {
    }

    static Run run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(REPO.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void installsTheTreeTheUnitExpectsAndTheLauncherRunsMain() throws Exception {
        Path from = buildOutput();
        Path root = Files.createDirectories(tmp.resolve("root"));
        String javaHome = System.getProperty("java.home");
        String[] install = {"bash", REPO.resolve("deploy/install.sh").toString(), "--destdir", root.toString(),
            "--from", from.toString(), "--java-home", javaHome};

        Run first = run(Map.of(), install);
        assertThat(first.exit()).as(first.output()).isZero();

        Path launcher = root.resolve("opt/icgw/bin/icgw");
        assertThat(launcher).isExecutable();
        assertThat(Files.readString(launcher)).contains("org.icgw.gateway.Main").contains(javaHome)
                .contains("ICGW_HOME=\"${ICGW_HOME:-/opt/icgw}\"");
        assertThat(root.resolve("opt/icgw/lib")).isDirectoryContaining("glob:**/logback-classic-*.jar");
        assertThat(root.resolve("etc/icgw/icgw.yaml")).hasSameTextualContentAs(REPO.resolve("deploy/icgw.yaml"));
        assertThat(root.resolve("etc/systemd/system/icgw.service"))
                .hasSameTextualContentAs(REPO.resolve("deploy/systemd/icgw.service"));
        assertThat(root.resolve("var/lib/icgw")).isDirectory();
        Path envFile = root.resolve("etc/icgw/icgw.env");
        assertThat(Files.getPosixFilePermissions(envFile)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        String env = Files.readString(envFile);
        assertThat(env).containsPattern("(?m)^ICGW_PIN_PEPPER=[A-Za-z0-9]{32,}$")
                .containsPattern("(?m)^ICGW_STAFF_TOKEN=[A-Za-z0-9]{32,}$")
                .containsPattern("(?m)^ICGW_INVESTIGATOR_TOKEN=[A-Za-z0-9]{32,}$");
        String unit = Files.readString(root.resolve("etc/systemd/system/icgw.service"));
        assertThat(unit).contains("ExecStart=/opt/icgw/bin/icgw --config /etc/icgw/icgw.yaml --data /var/lib/icgw")
                .contains("EnvironmentFile=-/etc/icgw/icgw.env").contains("User=icgw")
                .contains("RestartPreventExitStatus=2");

        // A second install keeps the operator's configuration and secrets.
        Files.writeString(root.resolve("etc/icgw/icgw.yaml"), "drain: 10s\n");
        Run second = run(Map.of(), install);
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(root.resolve("etc/icgw/icgw.yaml")).hasContent("drain: 10s");
        assertThat(root.resolve("etc/icgw/icgw.yaml.new")).hasSameTextualContentAs(REPO.resolve("deploy/icgw.yaml"));
        assertThat(Files.readString(envFile)).isEqualTo(env);

        // The installed launcher runs Main on the installed jars with the installed configuration.
        Run bad = run(Map.of("ICGW_HOME", root.resolve("opt/icgw").toString()), launcher.toString(), "--config",
                root.resolve("etc/icgw/icgw.yaml").toString(), "--http-port", "70000");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.output().lines()).containsExactly(
                "config error: --http-port (admin.port): 70000 is out of range 0-65535");
        assertThat(Files.getPosixFilePermissions(launcher)).contains(PosixFilePermission.OTHERS_EXECUTE);
    }
}
