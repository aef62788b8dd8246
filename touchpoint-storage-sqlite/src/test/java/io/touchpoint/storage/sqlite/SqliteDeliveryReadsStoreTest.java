package io.touchpoint.storage.sqlite;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.DeliveryReadsContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteDeliveryReadsStoreTest extends DeliveryReadsContract {
    @TempDir
    Path dir;

    @Override
    protected Store openEmptyStore() {
        return SqliteStore.inFolder(dir);
    }
}
