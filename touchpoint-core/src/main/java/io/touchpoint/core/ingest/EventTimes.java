package io.touchpoint.core.ingest;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Event times as clients send them: UTC unix seconds, unix milliseconds, or ISO-8601 text.
 * A number at or above 10^11 is read as milliseconds (10^11 seconds is the year 5138).
 */
public final class EventTimes {
    /** How far ahead of our clock an event may claim to be: clients' clocks drift. */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);
    /** Nothing ad-related happened before this; earlier values are unit mistakes. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final BigDecimal MILLIS_THRESHOLD = BigDecimal.valueOf(100_000_000_000L);

    private EventTimes() {
    }

    /** The parsed time, or empty when the value is no time at all (a wrong type or unparseable text). */
    public static Optional<Instant> parse(Object value) {
        if (value instanceof Number n) {
            BigDecimal d = n instanceof BigDecimal bd ? bd : new BigDecimal(n.toString());
            return fromNumber(d);
        }
        if (value instanceof String s) {
            String t = s.strip();
            if (t.matches("-?\\d+(\\.\\d+)?")) return fromNumber(new BigDecimal(t));
            try {
                return Optional.of(OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                try {
                    return Optional.of(Instant.parse(t));
                } catch (DateTimeParseException e2) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> fromNumber(BigDecimal d) {
        if (d.abs().compareTo(BigDecimal.valueOf(1_000_000_000_000_000L)) > 0) {
            return Optional.of(d.signum() > 0 ? Instant.MAX : Instant.MIN); // absurd: validation rejects it
        }
        if (d.abs().compareTo(MILLIS_THRESHOLD) >= 0) {
            return Optional.of(Instant.ofEpochMilli(d.longValue()));
        }
        long seconds = d.longValue();
        long nanos = d.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).longValue();
        return Optional.of(Instant.ofEpochSecond(seconds, nanos));
    }
}
