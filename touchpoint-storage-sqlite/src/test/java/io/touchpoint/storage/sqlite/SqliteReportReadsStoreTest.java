package io.touchpoint.storage.sqlite;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.ReportReadsContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteReportReadsStoreTest extends ReportReadsContract {
    @TempDir
    Path dir;

    @Override
    protected Store openEmptyStore() {
        return SqliteStore.inFolder(dir);
    }
}
