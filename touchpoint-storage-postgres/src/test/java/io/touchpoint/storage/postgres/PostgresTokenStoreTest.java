package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.TokenStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresTokenStoreTest extends TokenStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
