package org.icgw.gateway.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a secret comes from. A secret key of the configuration ({@code pins.pepper},
 * {@code store.password}, {@code admin.tokens[].token}) holds either the secret itself or one
 * reference:
 *
 * <ul>
 *   <li>{@code ${env:NAME}}: the environment variable {@code NAME} (systemd's
 *       {@code EnvironmentFile} sets them from {@code /etc/icgw/icgw.env});</li>
 *   <li>{@code ${file:/etc/icgw/pin.pepper}}: the content of that file, without its trailing
 *       line break (systemd credentials, Kubernetes and Docker secrets are files).</li>
 * </ul>
 *
 * The value is never logged; a missing variable or unreadable file is a configuration error
 * naming the key and the reference, never the value.
 */
final class Secrets {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    private final Map<String, String> env;

    Secrets(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The secret that {@code value}, written at {@code key}, stands for. */
    String resolve(String key, String value) {
        Matcher m = REFERENCE.matcher(value.trim());
        if (!m.matches()) {
            if (value.startsWith("${")) {
                throw new ConfigException(key, "'" + value + "' is not ${env:NAME} or ${file:PATH}");
            }
            return value;
        }
        String where = m.group(2).trim();
        if (m.group(1).equals("env")) {
            String v = env.get(where);
            if (v == null || v.isEmpty()) {
                throw new ConfigException(key, "environment variable " + where + " is not set");
            }
            return v;
        }
        Path file = Path.of(where);
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String v = text.strip();
            if (v.isEmpty()) {
                throw new ConfigException(key, "secret file " + file + " is empty");
            }
            return v;
        } catch (NoSuchFileException e) {
            throw new ConfigException(key, "cannot read secret file " + file + " (no such file)");
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read secret file " + file + " (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /** The environment variable {@code name}, when set and not empty. */
    java.util.Optional<String> env(String name) {
        return java.util.Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
    }
}
