package io.touchpoint.server.ingest;

import java.util.Map;

/** {@link MalformedOptionalFieldsTest} with the server on PostgreSQL. */
class PostgresMalformedOptionalFieldsTest extends MalformedOptionalFieldsTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
