package io.touchpoint.tests;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The real PostgreSQL server the tests run against, named by {@value #ENV} (./test starts a temporary one
 * when PostgreSQL's binaries are installed). Without it the PostgreSQL suites skip with a message on a
 * developer machine, and fail when {@code CI=true}: in CI a missing real part is a failure.
 */
public final class PostgresTestDatabase {
    public static final String ENV = "TOUCHPOINT_TEST_POSTGRES_URL";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PostgresTestDatabase() {
    }

    public static String requireUrl() {
        String url = System.getenv(ENV);
        if (url == null || url.isBlank()) {
            String why = ENV + " is not set, so there is no PostgreSQL server to test against "
                    + "(./test starts one when PostgreSQL's server binaries are installed: apt-get install postgresql)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true: " + why);
            Assumptions.abort("PostgreSQL tests skipped: " + why);
        }
        return url;
    }

    /** The URL of a new, empty schema of the test server, so every test starts from nothing. */
    public static String freshSchemaUrl() {
        String base = requireUrl();
        String schema = "tp_" + Long.toUnsignedString(RANDOM.nextLong(), 36);
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the test PostgreSQL at " + ENV + ": " + e.getMessage(), e);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
