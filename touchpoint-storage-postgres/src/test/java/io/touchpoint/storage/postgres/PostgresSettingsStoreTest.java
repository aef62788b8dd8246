package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.SettingsStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresSettingsStoreTest extends SettingsStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
