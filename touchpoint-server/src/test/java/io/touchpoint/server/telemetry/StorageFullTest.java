package io.touchpoint.server.telemetry;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Each store's way of saying the disk is full is recognised, wrapped as the stores wrap it; other failures are not. */
class StorageFullTest {
    @Test
    void sqliteFull() {
        SQLException sqlite = new SQLException("[SQLITE_FULL] Insertion failed because database is full (database or disk is full)",
                null, 13);
        assertThat(StorageFull.causedBy(new RuntimeException("SQLite write failed", sqlite))).isTrue();
    }

    @Test
    void postgresDiskFullSqlState() {
        SQLException pg = new SQLException("ERROR: could not extend file base/16384/16385: No space left on device", "53100");
        assertThat(StorageFull.causedBy(new RuntimeException("PostgreSQL write failed", pg))).isTrue();
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO event_log was aborted", "53100", new int[0]);
        assertThat(StorageFull.causedBy(batch)).isTrue();
        BatchUpdateException noState = new BatchUpdateException("Batch entry 0 was aborted", null, new int[0]);
        noState.setNextException(new SQLException("could not extend file", "53100"));
        assertThat(StorageFull.causedBy(new RuntimeException(noState))).isTrue();
    }

    @Test
    void noSpaceLeftOnDevice() {
        assertThat(StorageFull.causedBy(new UncheckedIOException(new IOException("No space left on device")))).isTrue();
        assertThat(StorageFull.causedBy(new FileSystemException("/data/x", null, "No space left on device"))).isTrue();
    }

    @Test
    void otherFailuresAreNotAFullDisk() {
        assertThat(StorageFull.causedBy(new RuntimeException("boom"))).isFalse();
        assertThat(StorageFull.causedBy(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(StorageFull.causedBy(new SQLException("[SQLITE_BUSY] The database file is locked", null, 5))).isFalse();
        assertThat(StorageFull.causedBy(new IOException("Connection reset"))).isFalse();
        assertThat(StorageFull.causedBy(null)).isFalse();
    }
}
