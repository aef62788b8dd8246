package io.touchpoint.server.views;

import java.util.Map;

/** {@link SavedViewApiTest} with the server on PostgreSQL, which refuses U+0000 in text outright. */
class PostgresSavedViewApiTest extends SavedViewApiTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
