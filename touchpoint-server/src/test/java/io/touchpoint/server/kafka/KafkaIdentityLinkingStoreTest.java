package io.touchpoint.server.kafka;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.IdentityLinkingContract;
import io.touchpoint.tests.PostgresTestDatabase;

/** The identity linking contract in Kafka mode: the events the graph is built from go through a real broker and a store writer. */
class KafkaIdentityLinkingStoreTest extends IdentityLinkingContract {
    private static final KafkaModeTopic TOPIC = new KafkaModeTopic("identity-linking-contract");
    private String url;

    @Override
    protected Store openEmptyStore() {
        url = PostgresTestDatabase.freshSchemaUrl();
        return KafkaModeStore.open(TOPIC, url);
    }

    @Override
    protected String jdbcUrl() {
        return url;
    }
}
