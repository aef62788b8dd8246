package io.touchpoint.server.ingest;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.core.store.IngestResult;
import io.touchpoint.core.store.IngestStore;
import io.touchpoint.core.store.RepeatedFailure;
import io.touchpoint.server.telemetry.StorageFull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The one ingest writer (docs/ARCHITECTURE.md): request threads hand it records and wait; one thread takes
 * whatever is queued, up to {@code maxBatch} records, without waiting for more ("natural batching"),
 * commits it in one durable transaction and only then completes the callers' futures. A quiet server
 * commits one event at a time; a busy one hundreds per flush. The queue is bounded in records: when it
 * is full {@link #submit} refuses at once, and the edge answers 503 with Retry-After.
 */
public final class IngestWriter implements IngestLog {
    private static final Logger LOG = LoggerFactory.getLogger(IngestWriter.class);
    private final IngestStore store;
    private final int maxBatch;
    private final Semaphore capacity;
    private final int capacityRecords;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Runnable idleWork;
    private final Timer commitTimer;
    private final DistributionSummary batchSizes;
    /** How long after a request hands over records ingest still counts as active ({@link #recentlyActive}). */
    static final long ACTIVE_WINDOW_NANOS = 250_000_000L;
    private volatile long lastSubmitNanos = System.nanoTime() - ACTIVE_WINDOW_NANOS;
    private volatile boolean accepting = true;
    /** Background writes fail every second while the disk is full: reported once a minute. */
    private final RepeatedFailure idleWorkDiskFull = new RepeatedFailure();
    private volatile boolean stopped;

    private record Job(IngestStore.Prepared prepared, CompletableFuture<List<IngestResult>> done) {
        List<IngestRecord> records() {
            return prepared.records();
        }
    }

    /**
     * @param idleWork run on the writer thread between batches at most once a second (e.g. storing token
     *                 last-use times), so it never competes with ingest commits for SQLite's write lock
     */
    public IngestWriter(IngestStore store, int capacityRecords, int maxBatch, MeterRegistry metrics, Runnable idleWork) {
        this.store = store;
        this.maxBatch = maxBatch;
        this.capacityRecords = capacityRecords;
        this.capacity = new Semaphore(capacityRecords);
        this.idleWork = idleWork;
        // histograms, not client-side percentiles: buckets add up across servers and time ranges in Prometheus
        this.commitTimer = Timer.builder("touchpoint.ingest.commit").description("time to commit one batch durably")
                .serviceLevelObjectives(io.touchpoint.server.telemetry.ServerMetrics.COMMIT_BUCKETS).register(metrics);
        this.batchSizes = DistributionSummary.builder("touchpoint.ingest.batch.size")
                .description("records committed per transaction")
                .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000).register(metrics);
        Gauge.builder("touchpoint.ingest.queue.depth", this, IngestWriter::queuedRecords)
                .description("records waiting for the ingest writer").register(metrics);
        this.thread = Thread.ofPlatform().name("ingest-writer").unstarted(this::run);
    }

    @Override
    public void start() {
        thread.start();
    }

    @Override
    public int queuedRecords() {
        return capacityRecords - capacity.availablePermits();
    }

    @Override
    public boolean healthy() {
        return thread.isAlive() && accepting;
    }

    /**
     * True while records wait or a request handed some over within the last {@value #ACTIVE_WINDOW_NANOS} ns: under a
     * steady stream the queue is empty between commits, yet the next request is a few milliseconds away, and the
     * processor stages then keep their write transactions short (docs/BENCHMARKS.md, identity section).
     */
    @Override
    public boolean recentlyActive() {
        return queuedRecords() > 0 || System.nanoTime() - lastSubmitNanos < ACTIVE_WINDOW_NANOS;
    }

    /**
     * Queues records for the next commit, in the form the store commits them: that work is done here, on the
     * caller's thread, so that requests do it side by side and the writer thread only writes.
     *
     * @return completes with one result per record after the commit, or exceptionally if it failed
     */
    @Override
    public CompletableFuture<List<IngestResult>> submit(List<IngestRecord> records) throws QueueFullException {
        if (!accepting) throw new QueueFullException();
        lastSubmitNanos = System.nanoTime();
        if (!capacity.tryAcquire(records.size())) throw new QueueFullException();
        IngestStore.Prepared prepared;
        try {
            prepared = store.prepare(records);
        } catch (RuntimeException e) {
            capacity.release(records.size());
            LOG.error("could not prepare {} records for the commit", records.size(), e);
            return CompletableFuture.failedFuture(e);
        }
        Job job = new Job(prepared, new CompletableFuture<>());
        queue.add(job);
        if (!accepting && queue.remove(job)) { // closed meanwhile, and the writer never saw it
            capacity.release(records.size());
            throw new QueueFullException();
        }
        return job.done();
    }

    private void run() {
        long lastIdleWork = System.nanoTime();
        List<Job> jobs = new ArrayList<>();
        while (!stopped || !queue.isEmpty()) {
            try {
                Job first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (System.nanoTime() - lastIdleWork > Duration.ofSeconds(1).toNanos()) {
                    runIdleWork();
                    lastIdleWork = System.nanoTime();
                }
                if (first == null) continue;
                jobs.add(first);
                int records = first.records().size();
                Job next;
                while (records < maxBatch && (next = queue.peek()) != null
                        && records + next.records().size() <= maxBatch) {
                    jobs.add(queue.poll());
                    records += next.records().size();
                }
                commit(jobs, records);
            } catch (InterruptedException e) {
                stopped = true;
            } catch (RuntimeException e) {
                LOG.error("ingest writer failure", e);
            } finally {
                jobs.clear();
            }
        }
        runIdleWork();
    }

    private void commit(List<Job> jobs, int records) {
        List<IngestStore.Prepared> parts = new ArrayList<>(jobs.size());
        for (Job j : jobs) parts.add(j.prepared());
        List<IngestResult> results;
        long start = System.nanoTime();
        try {
            results = store.commitPrepared(parts);
        } catch (RuntimeException e) {
            if (StorageFull.causedBy(e)) { // every request would fail alike; the edge reports it, once a minute
                for (Job j : jobs) {
                    capacity.release(j.records().size());
                    j.done().completeExceptionally(e);
                }
                return;
            }
            // one poisoned request must not fail its neighbours: retry each on its own
            if (jobs.size() > 1) {
                LOG.warn("batch of {} requests failed to commit ({}); retrying one by one", jobs.size(), e.getMessage());
                for (Job j : jobs) commit(List.of(j), j.records().size());
            } else {
                Job j = jobs.get(0);
                capacity.release(j.records().size());
                LOG.error("commit failed for {} records", j.records().size(), e);
                j.done().completeExceptionally(e);
            }
            return;
        }
        commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        batchSizes.record(records);
        int offset = 0;
        for (Job j : jobs) {
            int n = j.records().size();
            capacity.release(n);
            j.done().complete(results.subList(offset, offset + n));
            offset += n;
        }
    }

    private void runIdleWork() {
        try {
            idleWork.run();
        } catch (RuntimeException e) {
            if (!StorageFull.causedBy(e)) LOG.warn("background write failed: {}", e.getMessage());
            else if (idleWorkDiskFull.failed() > 0) LOG.warn("background write failed, the disk is full (reported once a minute): {}", e.getMessage());
        }
    }

    /** Stops taking new records, commits everything already queued, then returns. */
    @Override
    public void close() {
        accepting = false;
        stopped = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
