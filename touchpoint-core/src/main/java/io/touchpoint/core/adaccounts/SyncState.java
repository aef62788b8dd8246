package io.touchpoint.core.adaccounts;

import java.time.Instant;
import java.time.LocalDate;

/** A connection's last sync: how it ended, why (the platform's own words when it refused), the rows it stored, its days. */
public record SyncState(SyncStatus status, String message, int rows, LocalDate from, LocalDate to, Instant startedAt,
                        Instant finishedAt) {
    public static final SyncState NEVER = new SyncState(SyncStatus.NEVER, null, 0, null, null, null, null);

    public static SyncState running(LocalDate from, LocalDate to, Instant at) {
        return new SyncState(SyncStatus.RUNNING, null, 0, from, to, at, null);
    }

    public SyncState finished(SyncStatus status, String message, int rows, Instant at) {
        return new SyncState(status, message, rows, from, to, startedAt, at);
    }
}
