package io.touchpoint.server.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock plus an offset a test moves forward, to reach expiry times without sleeping. A copy in another
 * zone ({@link #withZone}) shares the offset, so moving this clock moves it too.
 */
public final class MovableClock extends Clock {
    private final AtomicReference<Duration> offset;
    private final ZoneId zone;

    public MovableClock() {
        this(new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
    }

    private MovableClock(AtomicReference<Duration> offset, ZoneId zone) {
        this.offset = offset;
        this.zone = zone;
    }

    public void advance(Duration by) {
        offset.updateAndGet(o -> o.plus(by));
    }

    /** Moves to the start of the next whole minute, so that fixed one-minute windows hold for the next 59 s. */
    public void advanceToNextMinute() {
        long now = instant().toEpochMilli();
        advance(Duration.ofMillis(60_000 - now % 60_000));
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new MovableClock(offset, zone);
    }
}
