package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.ErasureContract;
import io.touchpoint.tests.PostgresTestDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

/**
 * {@link ErasureContract} on PostgreSQL: no live row names the person. The server's files are not the test's to
 * read, and keep dead row versions until their space is reused (README, Profiles).
 */
class PostgresErasureTest extends ErasureContract {
    private String url;

    @Override
    protected Store openEmptyStore() {
        url = PostgresTestDatabase.freshSchemaUrl();
        return new PostgresStore(url, null, null);
    }

    @Override
    protected String everyRow() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            return everyRow(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
        }
    }

    @Override
    protected List<Path> files() {
        return List.of();
    }
}
