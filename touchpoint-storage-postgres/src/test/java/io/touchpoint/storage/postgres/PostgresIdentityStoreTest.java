package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.IdentityStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresIdentityStoreTest extends IdentityStoreContract {
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

    @Override
    protected Store openSecondStore(int identityCacheLinks) {
        return new PostgresStore(url, null, null, identityCacheLinks);
    }
}
