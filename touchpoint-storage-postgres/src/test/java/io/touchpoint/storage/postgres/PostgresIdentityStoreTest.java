package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.IdentityStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresIdentityStoreTest extends IdentityStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
