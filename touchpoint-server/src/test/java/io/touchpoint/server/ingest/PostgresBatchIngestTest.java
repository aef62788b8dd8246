package io.touchpoint.server.ingest;

import java.util.Map;

/** {@link BatchIngestTest} with the server on PostgreSQL. */
class PostgresBatchIngestTest extends BatchIngestTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
