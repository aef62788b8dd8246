package io.touchpoint.server.users;

import io.touchpoint.tests.PostgresTestDatabase;

import java.util.Map;

/** {@link SharedSessionsTest} with both servers on one PostgreSQL database. */
class PostgresSharedSessionsTest extends SharedSessionsTest {
    private final String url = PostgresTestDatabase.freshSchemaUrl();

    @Override
    protected Map<String, String> settings() {
        return Map.of("db", url);
    }
}
