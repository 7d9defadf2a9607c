package org.icgw.media;

/** A session could not be opened: no free ports, sockets that would not bind, engine closed. */
public final class MediaOpenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why opening failed. */
    public enum Reason {
        /** Every port pair of the range is in use. */
        PORTS_EXHAUSTED,
        /** Binding failed on every pair tried. */
        BIND_FAILED,
        /** The engine is closed. */
        ENGINE_CLOSED
    }

    private final Reason reason;

    MediaOpenException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why opening failed. */
    public Reason reason() {
        return reason;
    }
}
