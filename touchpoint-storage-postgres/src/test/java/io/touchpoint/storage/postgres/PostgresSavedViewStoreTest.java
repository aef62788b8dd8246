package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.SavedViewStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresSavedViewStoreTest extends SavedViewStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
