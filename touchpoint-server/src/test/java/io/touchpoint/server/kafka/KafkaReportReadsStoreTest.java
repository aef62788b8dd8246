package io.touchpoint.server.kafka;

import io.touchpoint.core.store.Store;
import io.touchpoint.tests.PostgresTestDatabase;
import io.touchpoint.tests.ReportReadsContract;

/** The report reads contract in Kafka mode: visits and conversions go through a real broker and a store writer. */
class KafkaReportReadsStoreTest extends ReportReadsContract {
    private static final KafkaModeTopic TOPIC = new KafkaModeTopic("report-reads-contract");

    @Override
    protected Store openEmptyStore() {
        return KafkaModeStore.open(TOPIC, PostgresTestDatabase.freshSchemaUrl());
    }
}
