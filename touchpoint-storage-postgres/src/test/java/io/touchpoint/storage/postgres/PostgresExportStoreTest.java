package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.ExportStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresExportStoreTest extends ExportStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
