package io.touchpoint.core.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a page of the audit log ended: the last entry's time and id. The log is read newest first by (at, id), so
 * the next page starts strictly below this pair. Its text form ({@code <epochMillis>_<id>}) is the API's opaque
 * {@code next_cursor}.
 */
public record AuditCursor(Instant at, long id) {

    public static AuditCursor after(AuditEntry last) {
        return new AuditCursor(last.at(), last.id());
    }

    /** Empty when the text is not a cursor this class wrote. */
    public static Optional<AuditCursor> parse(String text) {
        if (text == null) return Optional.empty();
        int sep = text.indexOf('_');
        if (sep <= 0) return Optional.empty();
        try {
            return Optional.of(new AuditCursor(Instant.ofEpochMilli(Long.parseLong(text.substring(0, sep))),
                    Long.parseLong(text.substring(sep + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return at.toEpochMilli() + "_" + id;
    }
}
