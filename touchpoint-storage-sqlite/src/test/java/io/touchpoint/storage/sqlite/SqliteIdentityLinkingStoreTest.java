package io.touchpoint.storage.sqlite;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.IdentityLinkingContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteIdentityLinkingStoreTest extends IdentityLinkingContract {
    @TempDir
    Path dir;

    @Override
    protected Store openEmptyStore() {
        return SqliteStore.inFolder(dir);
    }

    @Override
    protected String jdbcUrl() {
        return "jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME);
    }
}
