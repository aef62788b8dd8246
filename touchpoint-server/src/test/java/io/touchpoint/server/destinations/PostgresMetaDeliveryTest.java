package io.touchpoint.server.destinations;

import java.util.Map;

/** The Meta end-to-end tests on PostgreSQL. */
class PostgresMetaDeliveryTest extends MetaDeliveryTest {
    @Override
    protected Map<String, String> settings() {
        return onPostgres();
    }
}
