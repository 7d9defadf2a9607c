package org.icgw.gateway.sip.transport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition instead of sleeping a guessed time. */
final class Await {

    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    /** Whether {@code condition} became true within {@code timeout} (polled every 10 ms). */
    static boolean until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }
}
