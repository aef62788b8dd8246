package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.JourneyStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresJourneyStoreTest extends JourneyStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
