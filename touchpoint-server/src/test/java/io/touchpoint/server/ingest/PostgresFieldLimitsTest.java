package io.touchpoint.server.ingest;

import java.util.Map;

/** {@link FieldLimitsTest} with the server on PostgreSQL, whose index entries hold at most about 2,700 bytes. */
class PostgresFieldLimitsTest extends FieldLimitsTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
