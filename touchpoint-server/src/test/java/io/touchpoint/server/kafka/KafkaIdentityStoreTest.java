package io.touchpoint.server.kafka;

import io.touchpoint.core.store.Store;
import io.touchpoint.storage.postgres.PostgresStore;
import io.touchpoint.tests.IdentityStoreContract;
import io.touchpoint.tests.PostgresTestDatabase;

/**
 * The identity contract in Kafka mode: the events the graph is built from go through a real broker and a store writer
 * into PostgreSQL. The second nodes only run the stages, so they open the PostgreSQL store directly.
 */
class KafkaIdentityStoreTest extends IdentityStoreContract {
    private static final KafkaModeTopic TOPIC = new KafkaModeTopic("identity-contract");
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

    /** Two of the six rounds: every one of their events is a round trip through the broker and the store writer. */
    @Override
    protected int randomStreamRounds() {
        return 2;
    }

    @Override
    protected Store openSecondStore(int identityCacheLinks) {
        return new PostgresStore(url, null, null, identityCacheLinks);
    }
}
