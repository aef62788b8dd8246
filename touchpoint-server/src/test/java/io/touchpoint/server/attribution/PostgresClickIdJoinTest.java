package io.touchpoint.server.attribution;

import java.util.Map;

/** {@link ClickIdJoinTest} with the server on PostgreSQL. */
class PostgresClickIdJoinTest extends ClickIdJoinTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
