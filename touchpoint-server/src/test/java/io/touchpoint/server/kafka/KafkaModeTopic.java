package io.touchpoint.server.kafka;

import io.touchpoint.core.store.IngestLogStore;
import io.touchpoint.server.support.SharedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ingest topic of one Kafka-mode contract class, on the {@link SharedKafkaBroker}: created by the first store the
 * class opens. Every test of the class starts from a new, empty schema while the topic keeps the records of the tests
 * before it, so {@link #startAtTheEnd} moves the new schema's partition positions past them, as a store that had
 * already stored them would be.
 */
final class KafkaModeTopic {
    static final int PARTITIONS = 2;
    private final String name;
    private final AtomicInteger groups = new AtomicInteger();
    private boolean created;

    KafkaModeTopic(String prefix) {
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Kafka mode's settings for one store on this topic: a consumer group of its own, one replica on the one broker. */
    synchronized KafkaSettings settings() {
        KafkaSettings s = new KafkaSettings(true, SharedKafkaBroker.get().bootstrapServers(), name, PARTITIONS, (short) 1,
                name + "-" + groups.incrementAndGet(), 10_000);
        if (!created) {
            IngestTopic.ensure(s);
            created = true;
        }
        return s;
    }

    /** Moves each partition's stored position from 0 to the topic's current end, with nothing stored. */
    void startAtTheEnd(KafkaSettings s, IngestLogStore store) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) latest.put(new TopicPartition(name, p), OffsetSpec.latest());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers()))) {
            var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            ends.forEach((tp, end) -> {
                if (end.offset() > 0 && store.commitFromLog(name, tp.partition(), 0, end.offset(), List.of()).isEmpty()) {
                    throw new IllegalStateException("a new schema already holds a position for " + tp);
                }
            });
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
