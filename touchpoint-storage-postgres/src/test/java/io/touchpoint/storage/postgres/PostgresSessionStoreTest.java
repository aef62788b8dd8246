package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.SessionStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresSessionStoreTest extends SessionStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
