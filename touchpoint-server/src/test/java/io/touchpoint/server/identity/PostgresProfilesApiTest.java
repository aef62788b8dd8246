package io.touchpoint.server.identity;

import io.touchpoint.tests.PostgresTestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link ProfilesApiTest} with the server on PostgreSQL; erasure is checked against every table of its schema. */
class PostgresProfilesApiTest extends ProfilesApiTest {
    private final String url = PostgresTestDatabase.freshSchemaUrl();

    @Override
    protected Map<String, String> settings() {
        return Map.of("db", url);
    }

    @Override
    protected String dump(String... except) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            tables.removeAll(List.of(except));
            if (tables.size() < 8) throw new AssertionError("expected the server's tables in the schema, found " + tables);
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) for (int i = 1; i <= n; i++) out.append(rs.getString(i)).append('\t');
                }
            }
        }
        return out.toString();
    }
}
