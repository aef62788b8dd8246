package io.touchpoint.server.eventlog;

import java.util.Map;

/** {@link EventLogApiTest} with the server on PostgreSQL. */
class PostgresEventLogApiTest extends EventLogApiTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
