package io.touchpoint.storage.sqlite;

import io.touchpoint.storage.jdbc.JdbcStore;
import io.touchpoint.storage.jdbc.sql.Migrations;

import java.nio.file.Path;

/** The embedded store: one SQLite file in WAL mode, migrated on open. */
public final class SqliteStore extends JdbcStore {
    public static final String FILE_NAME = "touchpoint.db";
    static final Migrations MIGRATIONS = new Migrations(SqliteStore.class, "migrations", null);

    /**
     * @param file     the database file (created with its folder when missing)
     * @param fullSync true (the default) flushes every commit to disk before it returns; false trades the
     *                 last commits before a power cut (never a process crash) for speed
     */
    public SqliteStore(Path file, boolean fullSync) {
        this(file, fullSync, defaultIdentityCacheLinks());
    }

    /** @param identityCacheLinks links of the identity graph the identity stage may keep in memory between batches (negative: the default) */
    public SqliteStore(Path file, boolean fullSync, int identityCacheLinks) {
        super(new SqliteDatabase(file, fullSync), MIGRATIONS, identityCacheLinks);
    }

    /** Opens {@value #FILE_NAME} in the given data folder with full durability. */
    public static SqliteStore inFolder(Path dataFolder) {
        return new SqliteStore(dataFolder.resolve(FILE_NAME), true);
    }
}
