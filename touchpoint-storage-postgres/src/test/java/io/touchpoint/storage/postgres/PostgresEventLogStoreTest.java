package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.EventLogStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresEventLogStoreTest extends EventLogStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
