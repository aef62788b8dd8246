package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.DestinationStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresDestinationStoreTest extends DestinationStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
