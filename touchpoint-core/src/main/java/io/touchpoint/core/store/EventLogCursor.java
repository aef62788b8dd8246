package io.touchpoint.core.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a page of the events log ended: the last entry's receive time and sequence. The log is ordered
 * newest first by (received_at, sequence), so a page's next one starts strictly below this pair. Its text
 * form ({@code <epochMillis>_<sequence>}) is the API's opaque {@code next_cursor}.
 */
public record EventLogCursor(Instant receivedAt, long sequence) {

    public static EventLogCursor after(EventLogEntry last) {
        return new EventLogCursor(last.receivedAt(), last.sequence());
    }

    /** Whether {@code e} belongs on a later page than this cursor: received earlier, or at once with a lower sequence. */
    public boolean isNewerThan(EventLogEntry e) {
        int byTime = e.receivedAt().compareTo(receivedAt);
        return byTime < 0 || (byTime == 0 && e.sequence() < sequence);
    }

    /** Empty when the text is not a cursor this class wrote. */
    public static Optional<EventLogCursor> parse(String text) {
        if (text == null) return Optional.empty();
        int sep = text.indexOf('_');
        if (sep <= 0) return Optional.empty();
        try {
            return Optional.of(new EventLogCursor(Instant.ofEpochMilli(Long.parseLong(text.substring(0, sep))),
                    Long.parseLong(text.substring(sep + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return receivedAt.toEpochMilli() + "_" + sequence;
    }
}
