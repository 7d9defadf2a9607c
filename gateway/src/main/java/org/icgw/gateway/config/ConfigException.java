package org.icgw.gateway.config;

import java.util.Objects;

/**
 * A configuration mistake found at start-up: the key it concerns (a YAML path such as
 * {@code sip.port} or {@code trunks.list[1].host}, or a command-line option) and what is wrong.
 * {@link #getMessage()} is the one line the gateway prints before it exits with code 2.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;

    public ConfigException(String key, String problem) {
        super(Objects.requireNonNull(key, "key") + ": " + Objects.requireNonNull(problem, "problem"), null, false,
                false);
        this.key = key;
        this.problem = problem;
    }

    /** The key, as the operator wrote it. */
    public String key() {
        return key;
    }

    /** What is wrong with it. */
    public String problem() {
        return problem;
    }
}
