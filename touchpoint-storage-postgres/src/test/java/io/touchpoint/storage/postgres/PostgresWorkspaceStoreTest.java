package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.WorkspaceStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresWorkspaceStoreTest extends WorkspaceStoreContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
