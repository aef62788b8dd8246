package io.touchpoint.server.faults;

import io.touchpoint.core.store.Store;
import io.touchpoint.storage.postgres.PostgresStore;
import io.touchpoint.tests.PostgresTestDatabase;

import java.nio.file.Path;

/** {@link CrashSafetyTest} with the server on PostgreSQL: SIGKILL hits Touchpoint, PostgreSQL stays up. */
class PostgresCrashSafetyTest extends CrashSafetyTest {
    private String url;

    @Override
    protected String[] storeArgs() {
        if (url == null) url = PostgresTestDatabase.freshSchemaUrl();
        return new String[]{"--db", url};
    }

    @Override
    protected Store openStore(Path data) {
        return new PostgresStore(url, null, null);
    }
}
