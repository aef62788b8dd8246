package io.touchpoint.server.kafka;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.IngestStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

/** The ingest contract in Kafka mode: every commit goes through a real broker and a store writer into PostgreSQL. */
class KafkaIngestStoreTest extends IngestStoreContract {
    private static final KafkaModeTopic TOPIC = new KafkaModeTopic("ingest-contract");

    @Override
    protected Store openEmptyStore() {
        return KafkaModeStore.open(TOPIC, PostgresTestDatabase.freshSchemaUrl());
    }
}
