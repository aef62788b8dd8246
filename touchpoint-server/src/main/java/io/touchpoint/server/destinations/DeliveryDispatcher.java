package io.touchpoint.server.destinations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.touchpoint.core.admin.Destinations;
import io.touchpoint.core.destinations.DeliveryAttempt;
import io.touchpoint.core.destinations.DeliveryRules;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.OutboxEntry;
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.server.destinations.platforms.PlatformClient;
import io.touchpoint.server.destinations.platforms.SendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The senders: one worker per enabled destination, each on its own thread, so a platform that is slow or down holds
 * up only its own deliveries, never another's nor ingest. A worker takes its due outbox entries in batches, sends
 * them, and records every attempt; after a transient failure it pauses the whole destination for the backoff rather
 * than spending every waiting entry's tries on a platform that is down, and probes it with a few entries at a time, at
 * most {@link RetryPolicy#MAX_PAUSE} apart, until one is sent. While ingest is active the workers give way
 * to it ({@link SendingPace}).
 */
public final class DeliveryDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);
    private static final long SYNC_MILLIS = 1000;
    private static final long IDLE_MILLIS = 1000;
    /**
     * Entries sent side by side to platforms that take one event a request. A round waits for its slowest request and
     * then commits its attempts, so more of them per round spread that wait and that commit over more deliveries.
     */
    static final int SINGLE_EVENT_PARALLELISM = 128;
    /**
     * Entries a paused destination is probed with: each probe spends one try of each entry it carries, so a platform
     * that stays down costs a few entries' tries per probe, not a full batch's.
     */
    static final int PROBE_BATCH = 10;

    private final DestinationStore store;
    private final Destinations destinations;
    private final Map<io.touchpoint.core.destinations.DestinationType, PlatformClient> clients;
    private final RetryPolicy policy;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final SendingPace pace;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    /** The attempts' counters by type and outcome, registered once rather than looked up per attempt. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Thread supervisor;
    private volatile boolean stopping;

    public DeliveryDispatcher(DestinationStore store, Destinations destinations,
                              Map<io.touchpoint.core.destinations.DestinationType, PlatformClient> clients,
                              RetryPolicy policy, Clock clock, MeterRegistry metrics, SendingPace pace) {
        this.store = store;
        this.pace = pace;
        this.destinations = destinations;
        this.clients = clients;
        this.policy = policy;
        this.clock = clock;
        this.metrics = metrics;
        this.supervisor = Thread.ofPlatform().name("delivery-supervisor").daemon(true).unstarted(this::supervise);
    }

    public void start() {
        pace.start();
        supervisor.start();
    }

    /** Tells every worker there may be new entries (the delivery stage enqueued some, or a replay). */
    public void wake() {
        workers.values().forEach(Worker::wake);
    }

    /** Ends the destination's pause after failures and wakes it (after a replay, or a changed token). */
    public void resume(String destinationId) {
        Worker w = workers.get(destinationId);
        if (w == null) return;
        w.pausedUntil = null;
        w.wake();
    }

    /** Whether the destination's worker is paused after failures, and until when. */
    public Optional<Instant> pausedUntil(String destinationId) {
        Worker w = workers.get(destinationId);
        return w == null || w.pausedUntil == null || w.pausedUntil.isBefore(clock.instant()) ? Optional.empty() : Optional.of(w.pausedUntil);
    }

    private void supervise() {
        while (!stopping) {
            try {
                sync();
            } catch (RuntimeException e) {
                LOG.warn("cannot read the destinations; delivery goes on with those known: {}", e.getMessage());
            }
            try {
                Thread.sleep(SYNC_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Starts a worker for each enabled destination, hands changed settings to running ones, stops removed ones. */
    synchronized void sync() {
        Map<String, Destination> enabled = new HashMap<>();
        for (Destination d : store.enabled()) enabled.put(d.id(), d);
        for (var it = workers.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!enabled.containsKey(e.getKey())) {
                e.getValue().stop();
                it.remove();
            }
        }
        enabled.forEach((id, d) -> {
            Worker w = workers.get(id);
            if (w == null) {
                w = new Worker(d);
                workers.put(id, w);
                w.thread.start();
            } else {
                w.destination = d;
            }
        });
    }

    @Override
    public void close() {
        stopping = true;
        supervisor.interrupt();
        pace.close();
        workers.values().forEach(Worker::stop);
        for (Worker w : workers.values()) {
            try {
                w.thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Worker {
        volatile Destination destination;
        volatile boolean stop;
        volatile Instant pausedUntil;
        int failures;
        /** How long to rest after the last round beside active ingest, asleep to wake-ups ({@link SendingPace}). */
        long restNanos;
        final ReentrantLock lock = new ReentrantLock();
        final Condition work = lock.newCondition();
        final Thread thread;

        Worker(Destination d) {
            this.destination = d;
            this.thread = Thread.ofVirtual().name("delivery-" + d.id()).unstarted(this::run);
        }

        void wake() {
            lock.lock();
            try {
                work.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void stop() {
            stop = true;
            wake();
        }

        private void run() {
            while (!stop && !stopping) {
                long waitMillis;
                restNanos = 0;
                try {
                    pace.stepAside();
                    waitMillis = round();
                } catch (RuntimeException e) {
                    LOG.error("delivery to {} failed unexpectedly; retrying in a second", destination.id(), e);
                    waitMillis = IDLE_MILLIS;
                }
                if (restNanos > 0) SendingPace.sleep(restNanos);
                if (waitMillis > 0) await(waitMillis);
            }
        }

        /** Sends one batch; answers how long to wait before the next (0: at once). */
        private long round() {
            long started = System.nanoTime();
            Instant now = clock.instant();
            if (pausedUntil != null && pausedUntil.isAfter(now)) return Duration.between(now, pausedUntil).toMillis();
            Destination d = destination;
            int batch = d.type().maxBatch() == 1 || d.type() == io.touchpoint.core.destinations.DestinationType.GA4
                    ? SINGLE_EVENT_PARALLELISM : d.type().maxBatch();
            if (failures > 0) batch = Math.min(batch, PROBE_BATCH);
            List<OutboxEntry> due = store.due(d.id(), now, batch);
            if (due.isEmpty()) {
                long untilDue = store.nextDue(d.id()).map(t -> Duration.between(now, t).toMillis()).orElse(IDLE_MILLIS);
                return Math.max(1, Math.min(IDLE_MILLIS, untilDue));
            }
            List<SendResult> results = new ArrayList<>();
            List<OutboxEntry> toSend = new ArrayList<>();
            for (OutboxEntry e : due) {
                Optional<String> skip = DeliveryRules.sendTimeReason(d, e.event(), now);
                if (skip.isPresent()) results.add(SendResult.skipped(e.id(), skip.get()));
                else toSend.add(e);
            }
            if (!toSend.isEmpty()) results.addAll(send(d, toSend));
            Map<Long, OutboxEntry> byId = new HashMap<>();
            due.forEach(e -> byId.put(e.id(), e));
            Instant at = clock.instant();
            List<DeliveryAttempt> attempts = new ArrayList<>();
            boolean anyRetry = false, anySent = false;
            for (SendResult r : results) {
                attempts.add(policy.attempt(byId.get(r.outboxId()), r, at));
                anyRetry |= r.outcome() == SendResult.Outcome.RETRY;
                anySent |= r.outcome() == SendResult.Outcome.SENT;
                count(d, r);
            }
            store.record(attempts);
            if (anyRetry && !anySent) {
                failures++;
                Duration pause = policy.pause(failures);
                for (SendResult r : results) {
                    if (r.retryAfter() != null && r.retryAfter().compareTo(pause) > 0) pause = r.retryAfter();
                }
                pausedUntil = at.plus(pause);
                return pause.toMillis();
            }
            failures = 0;
            pausedUntil = null;
            Instant oldest = due.stream().map(OutboxEntry::createdAt).min(Instant::compareTo).orElse(now);
            restNanos = pace.restNanos(System.nanoTime() - started, Duration.between(oldest, now));
            return 0;
        }

        private List<SendResult> send(Destination d, List<OutboxEntry> entries) {
            Map<String, String> secrets;
            try {
                secrets = destinations.open(d).secrets();
            } catch (IllegalArgumentException e) {
                String why = "secrets cannot be opened: " + e.getMessage();
                return entries.stream().map(x -> SendResult.retry(x.id(), 0, why, null)).toList();
            }
            try {
                return clients.get(d.type()).send(d, secrets, entries);
            } catch (RuntimeException e) {
                LOG.warn("sending to {} ({}) failed: {}", d.id(), d.type().wireName(), e.toString());
                String why = "could not be sent: " + e;
                return entries.stream().map(x -> SendResult.retry(x.id(), 0, why, null)).toList();
            }
        }

        private void count(Destination d, SendResult r) {
            counters.computeIfAbsent(d.type().wireName() + "/" + r.outcome(), k -> Counter.builder("touchpoint.deliveries")
                    .description("Delivery attempts by destination type and outcome").tag("type", d.type().wireName())
                    .tag("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT)).register(metrics)).increment();
        }

        private void await(long millis) {
            lock.lock();
            try {
                if (!stop && !stopping) work.await(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                stop = true;
            } finally {
                lock.unlock();
            }
        }
    }
}
