package io.touchpoint.storage.sqlite;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.TrafficStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteTrafficStoreTest extends TrafficStoreContract {
    @TempDir
    Path dir;

    @Override
    protected Store openEmptyStore() {
        return SqliteStore.inFolder(dir);
    }
}
