package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.FunnelStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresFunnelStoreTest extends FunnelStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
