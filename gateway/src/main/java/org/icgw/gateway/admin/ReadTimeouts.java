package org.icgw.gateway.admin;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The timers of one admin connection against slow and silent clients (issue 10: 300 half-open
 * and 150 slow-header connections were held for 60 s). One timer at a time, of one of three kinds:
 * <pre>
 *   accepted ──► IDLE ──first byte──► REQUEST ──request complete──► (none while answers are owed)
 *                 ▲                      │ expires: 408, close            │
 *                 └──── last owed answer written, nothing being read ─────┘
 *   IDLE expires: close (also a connection that never sent a byte)
 *   closing (a refusal was queued): no timer until its answer is written, then LINGER: close
 * </pre>
 * A request must be read completely within the timeout of its first byte, however slowly its
 * bytes trickle in; a connection with nothing being read and nothing owed is closed after the
 * timeout. An answer being written (a recording download to a slow reader) is never cut: no
 * timer runs while an answer is owed. Confined to the connection's event loop.
 */
final class ReadTimeouts {

    /** What the connection does when a timer expires. */
    interface Expiry {
        /** A request was not complete in time: answer 408 if possible, and close. */
        void requestTimedOut();

        /** Nothing was read or owed for the whole timeout: close. */
        void idle();

        /** The final answer went out and the client did not close in time: close. */
        void lingerOver();
    }

    private enum Kind { IDLE, REQUEST, LINGER }

    private final EventExecutor loop;
    private final long timeoutNanos;
    private final Expiry expiry;
    private boolean reading;
    private int owed;
    private boolean closing;
    private ScheduledFuture<?> timer;

    ReadTimeouts(EventExecutor loop, Duration timeout, Expiry expiry) {
        this.loop = loop;
        this.timeoutNanos = timeout.toNanos();
        this.expiry = expiry;
    }

    /** The connection was accepted. */
    void connected() {
        arm(Kind.IDLE);
    }

    /** The first byte of a request arrived. */
    void requestStarted() {
        if (closing) {
            return;
        }
        reading = true;
        arm(Kind.REQUEST);
    }

    /** The whole request (head and body) arrived, or was refused: one answer is owed. */
    void requestRead() {
        if (closing) {
            return;
        }
        reading = false;
        owed++;
        cancel();
    }

    /** An owed answer was written (or failed to be). */
    void answered() {
        owed = Math.max(0, owed - 1);
        if (!closing && !reading && owed == 0) {
            arm(Kind.IDLE);
        }
    }

    /** A final answer is queued: nothing more is read, no timer runs until it is written. */
    void closing() {
        closing = true;
        reading = false;
        cancel();
    }

    /** Answers owed: requests read whole and not answered yet. */
    int owed() {
        return owed;
    }

    boolean isClosing() {
        return closing;
    }

    /** The final answer is written and the output shut: the client has the timeout to close. */
    void lingering() {
        arm(Kind.LINGER);
    }

    /** The connection closed. */
    void stop() {
        closing = true;
        cancel();
    }

    private void arm(Kind kind) {
        cancel();
        timer = loop.schedule(() -> expired(kind), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expired(Kind kind) {
        timer = null;
        switch (kind) {
            case IDLE -> expiry.idle();
            case REQUEST -> {
                if (reading) {
                    expiry.requestTimedOut();
                }
            }
            case LINGER -> expiry.lingerOver();
        }
    }
}
