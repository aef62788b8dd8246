package io.touchpoint.server;

import io.touchpoint.core.store.Store;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.storage.postgres.PostgresStore;
import io.touchpoint.storage.sqlite.SqliteStore;

/** Opens the configured store: PostgreSQL when a URL is set, else the embedded SQLite file. */
public final class Stores {
    private Stores() {
    }

    public static Store open(ServerConfig config) {
        if (config.usesPostgres()) {
            return new PostgresStore(config.databaseUrl(), config.databaseUser(), config.databasePassword(), config.identityCacheLinks());
        }
        return new SqliteStore(config.dataDir().resolve(SqliteStore.FILE_NAME), config.durableCommits(), config.identityCacheLinks());
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
