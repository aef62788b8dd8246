package io.touchpoint.server.config;

import io.touchpoint.core.store.Store;
import io.touchpoint.server.config.ConfigException;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.storage.postgres.PostgresStore;
import io.touchpoint.storage.sqlite.SqliteStore;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the configured store: PostgreSQL when a URL is set, else the embedded SQLite file. */
public final class Stores {
    private Stores() {
    }

    public static Store open(ServerConfig config) {
        if (config.usesPostgres()) {
            return new PostgresStore(config.databaseUrl(), config.databaseUser(), config.databasePassword(), config.identityCacheLinks());
        }
        return new SqliteStore(sqliteFile(config), config.durableCommits(), config.identityCacheLinks());
    }

    /**
     * Opens a store that must exist already: every command but {@code serve}. An embedded store whose file is missing
     * is almost always the wrong folder (the server runs with {@code --data} elsewhere), and opening it would quietly
     * create a second, empty store there; so this stops and says where it looked. PostgreSQL is named explicitly and
     * migrated on open, as before.
     */
    public static Store openExisting(ServerConfig config) {
        requireExisting(config);
        return open(config);
    }

    /** Throws, naming the folder and {@code --data}, when the embedded store's file is not in the data folder. */
    public static void requireExisting(ServerConfig config) {
        if (config.usesPostgres()) return;
        Path file = sqliteFile(config);
        if (Files.isRegularFile(file)) return;
        throw new ConfigException("no Touchpoint store in " + config.dataDir().toAbsolutePath() + " (no "
                + SqliteStore.FILE_NAME + " there), so nothing was done.\n"
                + "`touchpoint serve` creates the store on its first start. If the server keeps its data in another"
                + " folder, name that folder with --data DIR (or TOUCHPOINT_DATA, or data= in the config file).");
    }

    /** The embedded store's database file. */
    public static Path sqliteFile(ServerConfig config) {
        return config.dataDir().resolve(SqliteStore.FILE_NAME);
    }

    /** Where the data lives, for people: never prints a password. */
    public static String describe(ServerConfig config) {
        if (config.usesPostgres()) {
            return "PostgreSQL at " + config.databaseUrl().replaceAll("(?i)(password=)[^&]*", "$1***")
                    + " (synchronous_commit=on)";
        }
        return config.dataDir().toAbsolutePath() + " (SQLite, synchronous=" + (config.durableCommits() ? "FULL" : "NORMAL") + ")";
    }
}
