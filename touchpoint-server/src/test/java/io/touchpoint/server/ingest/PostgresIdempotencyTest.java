package io.touchpoint.server.ingest;

import java.util.Map;

/** {@link IdempotencyTest} with the server on PostgreSQL. */
class PostgresIdempotencyTest extends IdempotencyTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
