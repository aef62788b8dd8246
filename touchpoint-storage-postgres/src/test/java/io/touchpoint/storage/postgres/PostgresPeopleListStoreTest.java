package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.PeopleListContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresPeopleListStoreTest extends PeopleListContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
