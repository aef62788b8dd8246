package io.touchpoint.server.kafka;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.PeopleListContract;
import io.touchpoint.tests.PostgresTestDatabase;

/** The people list contract in Kafka mode: visits and conversions go through a real broker and a store writer. */
class KafkaPeopleListStoreTest extends PeopleListContract {
    private static final KafkaModeTopic TOPIC = new KafkaModeTopic("people-list-contract");

    @Override
    protected Store openEmptyStore() {
        return KafkaModeStore.open(TOPIC, PostgresTestDatabase.freshSchemaUrl());
    }
}
