package io.touchpoint.server.http;

import java.util.Map;

/** {@link AuthenticationTest} with the server on PostgreSQL. */
class PostgresAuthenticationTest extends AuthenticationTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
