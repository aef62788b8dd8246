package io.touchpoint.storage.postgres;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.PostgresTestDatabase;
import io.touchpoint.tests.UndoneMergesContract;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

class PostgresUndoneMergesTest extends UndoneMergesContract {
    private String url;

    @Override
    protected Store openEmptyStore() {
        url = PostgresTestDatabase.freshSchemaUrl();
        return new PostgresStore(url, null, null);
    }

    @Override
    protected void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
