package io.touchpoint.server.attribution;

import java.util.Map;

/** {@link AttributionApiTest} with the server on PostgreSQL. */
class PostgresAttributionApiTest extends AttributionApiTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
