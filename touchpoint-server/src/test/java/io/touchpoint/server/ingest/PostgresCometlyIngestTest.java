package io.touchpoint.server.ingest;

import java.util.Map;

/** {@link CometlyIngestTest} with the server on PostgreSQL. */
class PostgresCometlyIngestTest extends CometlyIngestTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
