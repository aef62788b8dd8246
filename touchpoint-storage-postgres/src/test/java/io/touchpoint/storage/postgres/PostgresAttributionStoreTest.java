package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.AttributionStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresAttributionStoreTest extends AttributionStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
