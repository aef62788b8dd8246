package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.PixelSettingsStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresPixelSettingsStoreTest extends PixelSettingsStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
