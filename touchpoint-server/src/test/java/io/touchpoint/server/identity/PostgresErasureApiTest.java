package io.touchpoint.server.identity;

import io.touchpoint.tests.PostgresTestDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;

/**
 * {@link ErasureApiTest} with the server on PostgreSQL: no live row names the person. The database server's files
 * are not the test's to read; they keep dead row versions until their space is reused (README, Profiles).
 */
class PostgresErasureApiTest extends ErasureApiTest {
    private final String url = PostgresTestDatabase.freshSchemaUrl();

    @Override
    protected Map<String, String> settings() {
        return Map.of("db", url);
    }

    @Override
    protected List<Path> files() {
        return List.of();
    }

    @Override
    protected String everyRow() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            return everyRow(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
        }
    }
}
