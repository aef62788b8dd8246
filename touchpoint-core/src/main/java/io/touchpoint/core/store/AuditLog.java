package io.touchpoint.core.store;

import io.touchpoint.core.audit.AuditEntry;
import io.touchpoint.core.audit.AuditQuery;

import java.time.Instant;

/**
 * The audit log: who changed what, appended as it happens and read back newest first. Entries are never changed;
 * they leave only by age ({@link #purge}).
 */
public interface AuditLog {
    /** Appends one entry in a transaction of its own; the entry as stored, with its id. */
    AuditEntry append(AuditEntry entry);

    /** A page of entries, newest first by (at, id); its next cursor is an {@link io.touchpoint.core.audit.AuditCursor}. */
    Page<AuditEntry> search(AuditQuery query);

    /** Removes the entries older than {@code before}; how many went. */
    int purge(Instant before);
}
