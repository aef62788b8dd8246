package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.PixelPageViewsContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresPixelPageViewsTest extends PixelPageViewsContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
