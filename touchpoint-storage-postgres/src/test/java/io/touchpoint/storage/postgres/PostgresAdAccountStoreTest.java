package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.AdAccountStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresAdAccountStoreTest extends AdAccountStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
