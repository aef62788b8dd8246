package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.TrafficStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresTrafficStoreTest extends TrafficStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
