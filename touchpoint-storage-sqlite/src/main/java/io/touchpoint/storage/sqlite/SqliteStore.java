package io.touchpoint.storage.sqlite;

import io.touchpoint.core.store.EventLogStore;
import io.touchpoint.core.store.EventStore;
import io.touchpoint.core.store.IngestStore;
import io.touchpoint.core.store.SettingsStore;
import io.touchpoint.core.store.Store;
import io.touchpoint.core.store.TokenStore;
import io.touchpoint.core.store.WorkspaceStore;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;

/** The embedded store: one SQLite file in WAL mode, migrated on open. */
public final class SqliteStore implements Store {
    public static final String FILE_NAME = "touchpoint.db";
    private final SqliteDatabase db;
    private final WorkspaceStore workspaces;
    private final TokenStore tokens;
    private final SettingsStore settings;
    private final IngestStore ingest;
    private final EventStore events;
    private final EventLogStore eventLog;

    /**
     * @param file     the database file (created with its folder when missing)
     * @param fullSync true (the default) flushes every commit to disk before it returns; false trades the
     *                 last commits before a power cut (never a process crash) for speed
     */
    public SqliteStore(Path file, boolean fullSync) {
        this.db = new SqliteDatabase(file, fullSync);
        try {
            Migrations.apply(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        this.workspaces = new SqliteWorkspaceStore(db);
        this.tokens = new SqliteTokenStore(db);
        this.settings = new SqliteSettingsStore(db);
        this.ingest = new SqliteIngestStore(db);
        this.events = new SqliteEventStore(db);
        this.eventLog = new SqliteEventLogStore(db);
    }

    /** Opens {@value #FILE_NAME} in the given data folder with full durability. */
    public static SqliteStore inFolder(Path dataFolder) {
        return new SqliteStore(dataFolder.resolve(FILE_NAME), true);
    }

    public int schemaVersion() {
        return Migrations.current(db);
    }

    @Override
    public WorkspaceStore workspaces() {
        return workspaces;
    }

    @Override
    public TokenStore tokens() {
        return tokens;
    }

    @Override
    public SettingsStore settings() {
        return settings;
    }

    @Override
    public IngestStore ingest() {
        return ingest;
    }

    @Override
    public EventStore events() {
        return events;
    }

    @Override
    public EventLogStore eventLog() {
        return eventLog;
    }

    @Override
    public boolean ping() {
        try {
            return db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
