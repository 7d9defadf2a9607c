package org.icgw.media;

/**
 * Receives a session's {@link MediaEvent}s.
 *
 * <p>Called on the session's event loop, the thread that also moves the session's packets: an
 * implementation must return quickly and must not block; to do more, hand the event to the
 * call's own executor. Calling the session's methods from here is allowed. An exception thrown
 * here is logged and does not affect the session.
 */
@FunctionalInterface
public interface MediaEventListener {
    /** One event; never null. */
    void onEvent(MediaEvent event);
}
