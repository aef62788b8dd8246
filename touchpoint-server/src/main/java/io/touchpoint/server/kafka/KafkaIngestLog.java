package io.touchpoint.server.kafka;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.store.EventStore;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.server.ingest.IngestLog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An ingest node's log in Kafka mode: each record goes to the ingest topic, keyed by its workspace, through an
 * idempotent producer with {@code acks=all}, and a request is answered once every one of its records is acknowledged by
 * the in-sync replicas — durable by the brokers' replication, not by this machine's disk. The store writers
 * ({@link KafkaStoreWriter}) move the records into the store in partition order.
 *
 * <p>Idempotency keys: a key the store already holds is answered as a duplicate of the stored event, as without Kafka;
 * a key this node sent a moment ago and the store has not written yet is answered from the node's memory of its
 * in-flight keys. A key first sent to two nodes at the same moment reaches one partition (both records carry the
 * workspace's key) in one order: the store writer stores the first and records the second as its duplicate, while both
 * senders were told "accepted" with their own event ids (docs/SCALING.md).
 */
public final class KafkaIngestLog implements IngestLog {
    /** How long a node remembers the idempotency keys it sent: far longer than a store writer takes to store them. */
    private static final Duration IN_FLIGHT_KEYS = Duration.ofMinutes(10);
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final EventStore events;
    private final Semaphore capacity;
    private final int capacityRecords;
    private final Cache<String, String> sentKeys = Caffeine.newBuilder().expireAfterWrite(IN_FLIGHT_KEYS)
            .maximumSize(1_000_000).build();
    private final Timer ackTimer;
    /** Striped by idempotency key: a key's answer and its record's place on the topic are taken together. */
    private final ReentrantLock[] keyLocks = java.util.stream.Stream.generate(ReentrantLock::new).limit(64)
            .toArray(ReentrantLock[]::new);
    private volatile long lastSubmitNanos = System.nanoTime() - Duration.ofSeconds(1).toNanos();
    private volatile boolean accepting = true;

    public KafkaIngestLog(KafkaSettings settings, EventStore events, int capacityRecords, MeterRegistry metrics) {
        this(new KafkaProducer<>(producerConfig(settings), new ByteArraySerializer(), new ByteArraySerializer()),
                settings.topic(), events, capacityRecords, metrics);
    }

    KafkaIngestLog(Producer<byte[], byte[]> producer, String topic, EventStore events, int capacityRecords,
                   MeterRegistry metrics) {
        this.producer = producer;
        this.topic = topic;
        this.events = events;
        this.capacityRecords = capacityRecords;
        this.capacity = new Semaphore(capacityRecords);
        this.ackTimer = Timer.builder("touchpoint.ingest.log.ack").description("time for the brokers to acknowledge a request's records")
                .serviceLevelObjectives(io.touchpoint.server.telemetry.ServerMetrics.COMMIT_BUCKETS).register(metrics);
        Gauge.builder("touchpoint.ingest.queue.depth", this, KafkaIngestLog::queuedRecords)
                .description("records waiting for the brokers' acknowledgement").register(metrics);
    }

    static Map<String, Object> producerConfig(KafkaSettings s) {
        int requestTimeout = Math.min(s.ackTimeoutMs(), 30_000);
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(s.ackTimeoutMs(), requestTimeout + 2),
                // a request thread waits at most this for the topic's metadata or for room in the producer's buffer
                ProducerConfig.MAX_BLOCK_MS_CONFIG, s.ackTimeoutMs(),
                ProducerConfig.CLIENT_ID_CONFIG, "touchpoint-ingest");
    }

    @Override
    public void start() {
        // the producer connects on its first record
    }

    @Override
    public CompletableFuture<List<IngestResult>> submit(List<IngestRecord> records) throws QueueFullException {
        if (!accepting) throw new QueueFullException();
        lastSubmitNanos = System.nanoTime();
        if (!capacity.tryAcquire(records.size())) throw new QueueFullException();
        // the store's reads first: a failing one fails the request before any of its records is sent
        String[] stored = new String[records.size()];
        try {
            for (int i = 0; i < records.size(); i++) stored[i] = storedWithKey(records.get(i));
        } catch (RuntimeException e) {
            capacity.release(records.size());
            throw e;
        }
        IngestResult[] results = new IngestResult[records.size()];
        CompletableFuture<List<IngestResult>> done = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(records.size());
        AtomicReference<Exception> failed = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < records.size(); i++) {
            IngestRecord r = records.get(i);
            ProducerRecord<byte[], byte[]> message = new ProducerRecord<>(topic, partitionKey(r), IngestRecordCodec.write(r));
            ReentrantLock lock = keyLock(r);
            // the record this node answers as a key's first use goes to the topic before any it answers as its
            // duplicate, so the store writer, which stores the first it reads, stores the event the sender was told
            if (lock != null) lock.lock();
            try {
                results[i] = answer(r, stored[i]);
                producer.send(message, (meta, e) -> {
                    if (e != null) failed.compareAndSet(null, e);
                    if (pending.decrementAndGet() == 0) finish(records, Arrays.asList(results), failed.get(), done, start);
                });
            } catch (RuntimeException e) { // no metadata or no room within max.block.ms, or the producer closed
                failed.compareAndSet(null, e);
                if (pending.decrementAndGet() == 0) finish(records, Arrays.asList(results), failed.get(), done, start);
            } finally {
                if (lock != null) lock.unlock();
            }
        }
        return done;
    }

    /** The lock a record's idempotency key is answered and sent under, or null for a record without a key. */
    private ReentrantLock keyLock(IngestRecord r) {
        Event e = r.event();
        if (e == null || e.idempotencyKey() == null) return null;
        int h = (e.workspaceId() + '\n' + e.idempotencyKey()).hashCode();
        return keyLocks[Math.floorMod(h ^ (h >>> 16), keyLocks.length)];
    }

    private void finish(List<IngestRecord> records, List<IngestResult> results, Exception failure, CompletableFuture<List<IngestResult>> done,
                        long start) {
        capacity.release(records.size());
        if (failure == null) {
            ackTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            done.complete(results);
        } else {
            // the sender was told nothing was stored: its retry must not be answered as a duplicate of these
            for (IngestRecord r : records) {
                Event e = r.event();
                if (e != null && e.idempotencyKey() != null) sentKeys.asMap().remove(e.workspaceId() + '\n' + e.idempotencyKey(), e.id());
            }
            done.completeExceptionally(new Unavailable("the ingest topic did not acknowledge: " + failure.getMessage(), failure));
        }
    }

    /** The id of the stored event with the record's idempotency key, if this node has not sent the key itself. */
    private String storedWithKey(IngestRecord r) {
        Event e = r.event();
        if (e == null || e.idempotencyKey() == null) return null;
        if (sentKeys.getIfPresent(e.workspaceId() + '\n' + e.idempotencyKey()) != null) return null;
        return events.idWithKey(e.workspaceId(), e.idempotencyKey()).orElse(null);
    }

    /**
     * What the sender is told: a refusal is logged; an event whose key was used is a duplicate of the first event with
     * it; any other event is accepted under its own id, which the store writer stores it under.
     */
    private IngestResult answer(IngestRecord r, String storedWithKey) {
        Event e = r.event();
        if (e == null) return new IngestResult.Logged();
        if (e.idempotencyKey() == null) return new IngestResult.Stored(e.id());
        String key = e.workspaceId() + '\n' + e.idempotencyKey();
        String first = sentKeys.getIfPresent(key);
        if (first == null) first = storedWithKey;
        // of two requests with a new key on this node at once, the one whose id lands first is the key's event
        if (first == null) first = sentKeys.asMap().putIfAbsent(key, e.id());
        if (first != null && !first.equals(e.id())) return new IngestResult.Duplicate(first);
        return new IngestResult.Stored(e.id());
    }

    /**
     * The workspace: its records stay in one partition, in the order they were acknowledged, so one store writer takes
     * them in that order and an idempotency key's first use is the same for every reader. Refusals with no workspace
     * share one key.
     */
    private static byte[] partitionKey(IngestRecord r) {
        String ws = r.log().workspaceId();
        return (ws == null ? "" : ws).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int queuedRecords() {
        return capacityRecords - capacity.availablePermits();
    }

    @Override
    public boolean recentlyActive() {
        return queuedRecords() > 0 || System.nanoTime() - lastSubmitNanos < Duration.ofMillis(250).toNanos();
    }

    /**
     * Accepting records. Brokers that do not answer make requests fail with 503 {@code log_unavailable} one by one
     * rather than take the node out of a load balancer's rotation: the other nodes would have the same brokers.
     */
    @Override
    public boolean healthy() {
        return accepting;
    }

    @Override
    public void close() {
        accepting = false;
        producer.close(Duration.ofSeconds(10)); // sends what is buffered and waits for its acknowledgements
    }
}
