package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.PostgresTestDatabase;
import io.touchpoint.tests.ReportReadsContract;

class PostgresReportReadsStoreTest extends ReportReadsContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
