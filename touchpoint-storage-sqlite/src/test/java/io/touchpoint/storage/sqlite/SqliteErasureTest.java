package io.touchpoint.storage.sqlite;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.ErasureContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

/** {@link ErasureContract} on SQLite, whose database file and WAL the test reads as bytes. */
class SqliteErasureTest extends ErasureContract {
    @TempDir
    Path dir;

    @Override
    protected Store openEmptyStore() {
        return SqliteStore.inFolder(dir);
    }

    @Override
    protected String everyRow() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME))) {
            return everyRow(c, "SELECT name FROM sqlite_master WHERE type = 'table'");
        }
    }

    @Override
    protected List<Path> files() {
        Path db = dir.resolve(SqliteStore.FILE_NAME);
        return List.of(db, db.resolveSibling(SqliteStore.FILE_NAME + "-wal"));
    }
}
