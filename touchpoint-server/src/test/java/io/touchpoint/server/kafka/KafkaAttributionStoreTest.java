package io.touchpoint.server.kafka;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.AttributionStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

/** The attribution contract in Kafka mode: visits and conversions go through a real broker and a store writer. */
class KafkaAttributionStoreTest extends AttributionStoreContract {
    private static final KafkaModeTopic TOPIC = new KafkaModeTopic("attribution-contract");

    @Override
    protected Store openEmptyStore() {
        return KafkaModeStore.open(TOPIC, PostgresTestDatabase.freshSchemaUrl());
    }
}
