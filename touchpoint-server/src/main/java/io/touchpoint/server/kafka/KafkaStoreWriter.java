package io.touchpoint.server.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestLogStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store writer of Kafka mode: a member of the consumer group {@link KafkaSettings#storeWriterGroup()} that moves the
 * records of the partitions it is given into the store. Each partition's records are stored with the partition's next
 * offset in one transaction ({@link IngestLogStore#commitFromLog}), and a partition it is given is read from the offset the
 * store holds, not from Kafka's committed offsets: a crash at any point neither loses a record nor stores one twice,
 * and a process that lost a partition to another cannot store behind its back (the store refuses a batch from an old
 * position). Offsets are also committed to Kafka after each store commit, for the usual lag tooling only.
 */
public final class KafkaStoreWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStoreWriter.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STORE_RETRY = Duration.ofSeconds(1);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final IngestLogStore store;
    private final Runnable idleWork;
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private final Counter stored;
    private final Counter unreadable;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long lastStoredNanos;

    /** @param idleWork run between polls at most once a second (the token last-use times the ingest writer keeps otherwise) */
    public KafkaStoreWriter(KafkaSettings settings, IngestLogStore store, MeterRegistry metrics, Runnable idleWork) {
        this.consumer = new KafkaConsumer<>(consumerConfig(settings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = settings.topic();
        this.store = store;
        this.idleWork = idleWork;
        this.stored = Counter.builder("touchpoint.ingest.log.stored").description("records the store writer moved from the ingest topic into the store")
                .register(metrics);
        this.unreadable = Counter.builder("touchpoint.ingest.log.unreadable").description("records of the ingest topic the store writer could not read and passed over")
                .register(metrics);
        this.thread = Thread.ofPlatform().name("kafka-store-writer").unstarted(this::run);
    }

    static Map<String, Object> consumerConfig(KafkaSettings s) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, s.storeWriterGroup(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "touchpoint-store-writer");
    }

    public void start() {
        thread.start();
    }

    /**
     * The partitions the group gives this process now: its identity stage steps them, so a dead process's stage work
     * moves with its partitions.
     */
    public Set<Integer> ownedPartitions() {
        return Set.copyOf(positions.keySet());
    }

    /** True while the thread runs. */
    public boolean healthy() {
        return thread.isAlive() && !stopped;
    }

    /** Stored a batch within the last 250 ms. */
    public boolean recentlyActive() {
        return System.nanoTime() - lastStoredNanos < Duration.ofMillis(250).toNanos();
    }

    private void run() {
        long lastIdleWork = System.nanoTime();
        try {
            consumer.subscribe(List.of(topic), new Positions());
            while (!stopped) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                for (TopicPartition tp : batch.partitions()) write(tp, batch.records(tp));
                if (System.nanoTime() - lastIdleWork > Duration.ofSeconds(1).toNanos()) {
                    runIdleWork();
                    lastIdleWork = System.nanoTime();
                }
            }
        } catch (WakeupException e) {
            if (!stopped) throw e;
        } finally {
            runIdleWork();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Stores one partition's records from its stored position on. A store that fails (PostgreSQL restarting) is
     * retried from the same position after a pause; a batch the store refuses (another process moved the partition
     * meanwhile) sends the reader back to the position the store holds.
     */
    private void write(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
        int p = tp.partition();
        Long from = positions.get(p);
        if (from == null || records.isEmpty()) return; // revoked while the poll was answered
        List<IngestRecord> batch = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.offset() < from) continue; // read again after a seek back
            try {
                batch.add(IngestRecordCodec.read(r.value()));
            } catch (IOException | RuntimeException e) {
                // not a record any node writes: passed over, with its place in the log, so that one cannot stop the rest
                unreadable.increment();
                LOG.error("ingest topic {} partition {} offset {}: unreadable record passed over: {}", topic, p, r.offset(), e.getMessage());
            }
        }
        long to = records.get(records.size() - 1).offset() + 1;
        if (to <= from) return;
        try {
            Optional<?> done = store.commitFromLog(topic, p, from, to, batch);
            if (done.isPresent()) {
                positions.put(p, to);
                stored.increment(batch.size());
                lastStoredNanos = System.nanoTime();
                consumer.commitAsync(Map.of(tp, new OffsetAndMetadata(to)), null);
            } else {
                seekToStored(tp);
            }
        } catch (RuntimeException e) {
            LOG.warn("ingest topic {} partition {}: storing offsets {}..{} failed, retrying: {}", topic, p, from, to - 1, e.getMessage());
            pause();
            consumer.seek(tp, from);
        }
    }

    private void seekToStored(TopicPartition tp) {
        long at = store.logPosition(topic, tp.partition());
        positions.put(tp.partition(), at);
        consumer.seek(tp, at);
    }

    /** Where each partition given to this process starts: the store's position, never Kafka's committed offset. */
    private final class Positions implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                while (!stopped) {
                    try {
                        seekToStored(tp);
                        break;
                    } catch (RuntimeException e) {
                        LOG.warn("ingest topic {} partition {}: reading its stored position failed, retrying: {}", topic,
                                tp.partition(), e.getMessage());
                        pause();
                    }
                }
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) positions.remove(tp.partition());
        }
    }

    private void runIdleWork() {
        try {
            idleWork.run();
        } catch (RuntimeException e) {
            LOG.warn("background write failed: {}", e.getMessage());
        }
    }

    private void pause() {
        try {
            Thread.sleep(STORE_RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    /** Stops after the batch in hand is stored, and leaves the group so its partitions go to the other processes. */
    @Override
    public void close() {
        stopped = true;
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
