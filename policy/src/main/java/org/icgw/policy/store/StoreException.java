package org.icgw.policy.store;

import java.sql.SQLException;
import java.util.Objects;

/**
 * The database failed: broken I/O, or (rarely, since every write is checked first) data it
 * refused. {@link #kind()} tells which, and so whether the same write is worth trying again.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the store failed. */
    public enum Kind {
        /**
         * The database could not be reached or gave up for now: a connection error (SQLState
         * class 08), a pool or lock timeout, a serialization failure, a server shutting down. The
         * same write may succeed later.
         */
        UNAVAILABLE,
        /**
         * The database refused the data itself: a data exception (SQLState class 22, e.g. a value
         * too long) or an integrity constraint (class 23), or the data names something that is
         * gone. The same write fails the same way however often it is tried.
         */
        REFUSED
    }

    private final Kind kind;

    /** A failure whose kind comes from the SQLState of {@code cause} ({@link #classify}). */
    public StoreException(String message, Throwable cause) {
        this(message, cause, classify(cause));
    }

    public StoreException(String message, Throwable cause, Kind kind) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the database refused the data (retrying it unchanged cannot help). */
    public boolean refused() {
        return kind == Kind.REFUSED;
    }

    /**
     * {@link Kind#REFUSED} when {@code cause}, or an exception it wraps or chains, carries an
     * SQLState of class 22 or 23; {@link Kind#UNAVAILABLE} otherwise. Anything else the database
     * says (a timeout, a lost connection, a state it does not name) is treated as passing: a
     * write kept waiting shows on {@code /readyz}, a write thrown away is lost.
     */
    public static Kind classify(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (refusedState(s.getSQLState())) {
                        return Kind.REFUSED;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Kind.UNAVAILABLE;
    }

    private static boolean refusedState(String state) {
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }
}
