package io.touchpoint.server.identity;

import java.util.Map;

/** {@link JourneyApiTest} with the server on PostgreSQL. */
class PostgresJourneyApiTest extends JourneyApiTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
