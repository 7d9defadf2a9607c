package org.icgw.gateway.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand: Wednesday 2026-03-04 12:00 in Chicago, inside the demo's calling hours. */
final class TestClock extends Clock {
    static final Instant START = Instant.parse("2026-03-04T18:00:00Z");
    private final AtomicReference<Instant> now = new AtomicReference<>(START);

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("fixed to UTC");
    }

    void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }
}
