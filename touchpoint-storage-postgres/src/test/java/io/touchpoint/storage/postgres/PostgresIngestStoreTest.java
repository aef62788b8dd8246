package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.IngestStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresIngestStoreTest extends IngestStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
