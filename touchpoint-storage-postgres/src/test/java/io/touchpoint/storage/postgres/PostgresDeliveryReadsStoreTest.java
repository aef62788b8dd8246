package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.DeliveryReadsContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresDeliveryReadsStoreTest extends DeliveryReadsContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
