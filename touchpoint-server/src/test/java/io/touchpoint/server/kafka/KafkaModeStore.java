package io.touchpoint.server.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.touchpoint.core.stage.Stages;
import io.touchpoint.core.store.AdAccountStore;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.AuditLog;
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.core.store.EventLogStore;
import io.touchpoint.core.store.EventStore;
import io.touchpoint.core.store.ExportStore;
import io.touchpoint.core.store.FunnelStore;
import io.touchpoint.core.store.IdentityStore;
import io.touchpoint.core.store.IngestLogStore;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.core.store.PixelSettingsStore;
import io.touchpoint.core.store.SavedViewStore;
import io.touchpoint.core.store.SessionStore;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.core.store.SettingsStore;
import io.touchpoint.core.store.Store;
import io.touchpoint.core.store.TokenStore;
import io.touchpoint.core.store.TrafficStore;
import io.touchpoint.core.store.UserStore;
import io.touchpoint.core.store.WorkspaceStore;
import io.touchpoint.server.ingest.IngestLog;
import io.touchpoint.storage.postgres.PostgresStore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL store whose {@link #ingest()} commit goes the whole way of Kafka mode: the records go through an ingest
 * node's {@link KafkaIngestLog} (idempotent producer, {@code acks=all}) to a real broker, a {@link KafkaStoreWriter}
 * reads them back and stores them, and the commit returns once every record is stored. It answers what the sender was
 * told (a duplicate's first id included), and fails when the store writer stored a record otherwise than the sender
 * was told. Everything else is the PostgreSQL store's own, so the shared contract suites run unchanged in Kafka mode.
 */
final class KafkaModeStore implements Store {
    /** Far longer than a store writer takes on a loaded machine; a record not stored by then is lost. */
    private static final Duration STORED_WITHIN = Duration.ofSeconds(30);
    private static final int NODE_CAPACITY_RECORDS = 10_000;
    private final PostgresStore store;
    private final KafkaIngestLog node;
    private final KafkaStoreWriter writer;
    private final StoredRecords stored;
    private final IngestLogStore ingest = new ThroughKafka();

    private KafkaModeStore(PostgresStore store, KafkaSettings settings) {
        this.store = store;
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        this.stored = new StoredRecords(store.ingest());
        this.node = new KafkaIngestLog(settings, store.events(), NODE_CAPACITY_RECORDS, metrics);
        this.writer = new KafkaStoreWriter(settings, stored, metrics, () -> {
        });
    }

    /** A Kafka-mode store on {@code jdbcUrl}'s (new, empty) schema, reading and writing {@code topic}. */
    static KafkaModeStore open(KafkaModeTopic topic, String jdbcUrl) {
        PostgresStore store = new PostgresStore(jdbcUrl, null, null);
        try {
            KafkaSettings settings = topic.settings();
            topic.startAtTheEnd(settings, store.ingest());
            KafkaModeStore kafkaMode = new KafkaModeStore(store, settings);
            kafkaMode.node.start();
            kafkaMode.writer.start();
            return kafkaMode;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    @Override
    public int schemaVersion() {
        return store.schemaVersion();
    }

    /** Ingest through the broker; the log positions are the PostgreSQL store's own, which the store writer moves. */
    private final class ThroughKafka implements IngestLogStore {
        @Override
        public List<IngestResult> commit(List<IngestRecord> batch) {
            long deadline = System.nanoTime() + STORED_WITHIN.toNanos();
            List<IngestResult> answered;
            try {
                answered = node.submit(batch).get(STORED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IngestLog.QueueFullException e) {
                throw new IllegalStateException("the ingest node's queue is full", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the broker did not acknowledge the batch: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            List<IngestResult> results = stored.await(batch, deadline);
            for (int i = 0; i < batch.size(); i++) {
                if (!answered.get(i).equals(results.get(i))) {
                    throw new AssertionError("record " + i + " (request " + batch.get(i).log().requestId() + "): the sender was told "
                            + answered.get(i) + " but the store writer stored " + results.get(i));
                }
            }
            return answered;
        }

        @Override
        public long logPosition(String log, int partition) {
            return store.ingest().logPosition(log, partition);
        }

        @Override
        public Optional<List<IngestResult>> commitFromLog(String log, int partition, long from, long to, List<IngestRecord> batch) {
            return store.ingest().commitFromLog(log, partition, from, to, batch);
        }
    }

    @Override
    public IngestLogStore ingest() {
        return ingest;
    }

    @Override
    public WorkspaceStore workspaces() {
        return store.workspaces();
    }

    @Override
    public TokenStore tokens() {
        return store.tokens();
    }

    @Override
    public FunnelStore funnels() {
        return store.funnels();
    }

    @Override
    public SettingsStore settings() {
        return store.settings();
    }

    @Override
    public EventStore events() {
        return store.events();
    }

    @Override
    public EventLogStore eventLog() {
        return store.eventLog();
    }

    @Override
    public PixelSettingsStore pixelSettings() {
        return store.pixelSettings();
    }

    @Override
    public IdentityStore identity() {
        return store.identity();
    }

    @Override
    public AttributionStore attribution() {
        return store.attribution();
    }

    @Override
    public DestinationStore destinations() {
        return store.destinations();
    }

    @Override
    public AdAccountStore adAccounts() {
        return store.adAccounts();
    }

    @Override
    public TrafficStore traffic() {
        return store.traffic();
    }

    @Override
    public SetAsideStore setAside() {
        return store.setAside();
    }

    @Override
    public AuditLog audit() {
        return store.audit();
    }

    @Override
    public UserStore users() {
        return store.users();
    }

    @Override
    public SessionStore sessions() {
        return store.sessions();
    }

    @Override
    public ExportStore exports() {
        return store.exports();
    }

    @Override
    public SavedViewStore savedViews() {
        return store.savedViews();
    }

    @Override
    public Stages stages() {
        return store.stages();
    }

    @Override
    public boolean ping() {
        return store.ping();
    }

    /** Sends what the node still holds, lets the store writer leave its group, then closes the PostgreSQL store. */
    @Override
    public void close() {
        try {
            node.close();
            writer.close();
        } finally {
            store.close();
        }
    }
}
