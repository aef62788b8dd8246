package io.touchpoint.server.cli;

import io.touchpoint.core.store.Store;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.storage.sqlite.SqliteStore;

/** Opens the configured store. */
final class Stores {
    private Stores() {
    }

    static Store open(ServerConfig config) {
        return new SqliteStore(config.dataDir().resolve(SqliteStore.FILE_NAME), config.durableCommits());
    }
}
