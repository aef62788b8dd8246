package io.touchpoint.server.ingest;

import java.util.Map;

/** {@link UnstorableCharactersIngestTest} with the server on PostgreSQL, where U+0000 once halted identity resolution. */
class PostgresUnstorableCharactersIngestTest extends UnstorableCharactersIngestTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
