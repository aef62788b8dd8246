package io.touchpoint.server.ingest;

import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the ingest edge hands accepted and refused requests, and waits until they are durable before it answers: the
 * store itself through the one {@link IngestWriter} (the default), or in Kafka mode a Kafka topic that the store writer
 * consumes (server.kafka).
 */
public interface IngestLog extends AutoCloseable {
    /** What a sender is told to wait when the log is unavailable. */
    long RETRY_AFTER_SECONDS = 5;

    /**
     * Queues records to be made durable.
     *
     * @return completes with one result per record once they are durable, or exceptionally if they could not be made
     * so ({@link Unavailable}: the log did not acknowledge them in time; nothing was acknowledged to the sender)
     */
    CompletableFuture<List<IngestResult>> submit(List<IngestRecord> records) throws QueueFullException;

    /** Records handed over and not yet durable. */
    int queuedRecords();

    /** True while records wait or requests handed some over a moment ago (the stages then keep their turns short). */
    boolean recentlyActive();

    boolean healthy();

    void start();

    /** Stops taking new records and waits for those already taken. */
    @Override
    void close();

    /** Thrown when the queue has no room for a request's records. */
    final class QueueFullException extends Exception {
        public QueueFullException() {
            super("ingest queue is full", null, false, false);
        }
    }

    /** The log could not make records durable in time (in Kafka mode: no acknowledgement from the brokers). */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
