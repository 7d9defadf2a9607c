package org.icgw.policy.store;

/** The database failed or could not be reached: broken I/O, not bad input. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
