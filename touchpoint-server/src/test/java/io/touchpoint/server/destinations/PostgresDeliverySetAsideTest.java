package io.touchpoint.server.destinations;

import io.touchpoint.tests.PostgresTestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** {@link DeliverySetAsideTest} with the server on PostgreSQL. */
class PostgresDeliverySetAsideTest extends DeliverySetAsideTest {
    private final String url = PostgresTestDatabase.freshSchemaUrl();

    @Override
    protected Map<String, String> settings() {
        return Map.of("db", url);
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }
}
