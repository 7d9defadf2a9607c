package org.icgw.policy;

/**
 * Bad input to a write: names the field (as the API and the seed file spell it) and what is wrong.
 * Nothing has been written when it is thrown.
 */
public final class ValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public ValidationException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The offending field, dotted for nested ones ({@code rates[2].cents_per_minute}). */
    public String field() {
        return field;
    }

    /** The problem without the field name. */
    public String problem() {
        return getMessage().substring(field.length() + 2);
    }

    /** The same problem, reported under a parent path ({@code facilities[0]} + {@code .ani}). */
    public ValidationException under(String parent) {
        ValidationException e = new ValidationException(parent + "." + field, problem());
        e.initCause(this);
        return e;
    }
}
