package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.IdentityLinkingContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresIdentityLinkingStoreTest extends IdentityLinkingContract {
    private String url;

    @Override
    protected Store openEmptyStore() {
        url = PostgresTestDatabase.freshSchemaUrl();
        return new PostgresStore(url, null, null);
    }

    @Override
    protected String jdbcUrl() {
        return url;
    }
}
