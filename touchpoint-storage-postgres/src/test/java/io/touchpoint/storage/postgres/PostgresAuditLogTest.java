package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.AuditLogContract;
import io.touchpoint.tests.PostgresTestDatabase;

class PostgresAuditLogTest extends AuditLogContract {
    @Override
    protected Store openEmptyStore() {
        return new PostgresStore(PostgresTestDatabase.freshSchemaUrl(), null, null);
    }
}
