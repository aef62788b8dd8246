package io.touchpoint.server.kafka;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.JourneyStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

/** The journey contract in Kafka mode: visits and conversions go through a real broker and a store writer. */
class KafkaJourneyStoreTest extends JourneyStoreContract {
    private static final KafkaModeTopic TOPIC = new KafkaModeTopic("journey-contract");

    @Override
    protected Store openEmptyStore() {
        return KafkaModeStore.open(TOPIC, PostgresTestDatabase.freshSchemaUrl());
    }
}
