package io.touchpoint.server.ingest;

import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogEntry.Outcome;
import io.touchpoint.core.store.IngestRecord;
import io.touchpoint.server.telemetry.StorageHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Records the refusals that no workspace's rate limit paid for — requests without a valid credential, and the 429s
 * themselves — so that nobody can grow the store by sending them. They are grouped per key: the client address and
 * error code, or, for a workspace's own refusals (its 429s, a pixel origin it does not allow), the workspace and
 * error code. Each minute the first {@value #FULL_PER_KEY} refusals of a key are written as usual, with at most
 * {@value #PAYLOAD_PREFIX_CHARS} characters of their body, so a sender can still look up its first mistakes by
 * request id; the rest are only counted, and when the minute ends one summary row per key says how many there were,
 * from where and when, under the request id of the last one. Refusals tied to no workspace share a budget of
 * {@value #UNATTRIBUTED_FULL_PER_MINUTE} full rows and {@value #MAX_UNATTRIBUTED_KEYS} addresses a minute; past it,
 * they are counted per error code under {@value #OTHER_ADDRESSES}. Thread-safe.
 */
final class RefusalLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);
    static final int PAYLOAD_PREFIX_CHARS = 1024;
    static final int FULL_PER_KEY = 10;
    static final int UNATTRIBUTED_FULL_PER_MINUTE = 100;
    static final int MAX_UNATTRIBUTED_KEYS = 100;
    static final String OTHER_ADDRESSES = "other addresses";
    /** Summaries wait at most this long after their minute ends (or for room in the writer's queue). */
    private static final long FLUSH_MILLIS = 1_000;
    /** Summaries kept while the writer has no room; more are dropped rather than held in memory without bound. */
    private static final int MAX_PENDING = 10_000;

    /** A workspace's refusals have no address; refusals of no workspace have one. */
    private record Key(String workspaceId, String address, String code) {
    }

    /** What one key came to in the current minute. */
    private static final class Tally {
        int written;
        long counted;
        EventLogEntry firstCounted;
        EventLogEntry lastCounted;
    }

    private final IngestLog writer;
    private final StorageHealth storage;
    private final Clock clock;
    private final ScheduledExecutorService flusher;
    private final Map<Key, Tally> tallies = new HashMap<>();
    private final List<EventLogEntry> pending = new ArrayList<>();
    private long minute;
    private int unattributedWritten;
    private int unattributedKeys;

    RefusalLog(IngestLog writer, StorageHealth storage, Clock clock) {
        this.writer = writer;
        this.storage = storage;
        this.clock = clock;
        this.minute = clock.millis() / 60_000;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("refusal-summaries").unstarted(r));
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The body as kept for such a refusal: its first {@value #PAYLOAD_PREFIX_CHARS} characters. */
    static String prefix(String body) {
        if (body == null || body.length() <= PAYLOAD_PREFIX_CHARS) return body;
        return body.substring(0, PAYLOAD_PREFIX_CHARS) + "…[truncated: " + body.length() + " characters]";
    }

    /**
     * Whether {@code refusal} (its payload already cut to a prefix) is to be written now; false when it was counted
     * for its key's summary instead.
     */
    synchronized boolean admit(EventLogEntry refusal, String address) {
        rollOver(clock.millis() / 60_000);
        Key key = refusal.workspaceId() != null ? new Key(refusal.workspaceId(), null, refusal.errorCode())
                : new Key(null, address, refusal.errorCode());
        Tally t = tallies.get(key);
        if (t == null && key.workspaceId() == null) {
            if (unattributedKeys < MAX_UNATTRIBUTED_KEYS) {
                unattributedKeys++;
            } else {
                key = new Key(null, OTHER_ADDRESSES, refusal.errorCode());
                t = tallies.get(key);
            }
        }
        if (t == null) {
            t = new Tally();
            tallies.put(key, t);
        }
        boolean unattributed = key.workspaceId() == null;
        boolean overflow = OTHER_ADDRESSES.equals(key.address());
        if (!overflow && t.written < FULL_PER_KEY && (!unattributed || unattributedWritten < UNATTRIBUTED_FULL_PER_MINUTE)) {
            t.written++;
            if (unattributed) unattributedWritten++;
            return true;
        }
        t.counted++;
        if (t.firstCounted == null) t.firstCounted = refusal;
        t.lastCounted = refusal;
        return false;
    }

    /** Ends the minute when the clock has left it: its counted refusals become summaries to write. */
    private void rollOver(long now) {
        if (now == minute) return;
        endMinute();
        minute = now;
    }

    private void endMinute() {
        tallies.forEach((key, t) -> {
            if (t.counted == 0) return;
            if (pending.size() < MAX_PENDING) pending.add(summary(key, t));
            else LOG.warn("a summary of {} refused requests was dropped: the ingest writer has had no room for long", t.counted);
        });
        tallies.clear();
        unattributedWritten = 0;
        unattributedKeys = 0;
    }

    private static EventLogEntry summary(Key key, Tally t) {
        EventLogEntry last = t.lastCounted;
        String from = key.address() == null ? "any address" : key.address();
        String message = t.counted + " more refused request(s) like this from " + from + " between "
                + t.firstCounted.receivedAt() + " and " + last.receivedAt()
                + " were counted, not stored one by one; the last: " + last.errorMessage();
        return new EventLogEntry(0, last.requestId(), 0, key.workspaceId(), last.receivedAt(), last.endpoint(),
                last.source(), Outcome.REJECTED, last.httpStatus(), last.errorCode(), last.errorParam(), message, null,
                null, null, last.payload());
    }

    /** Hands the summaries of ended minutes to the writer without waiting for their commit. */
    void flush() {
        List<EventLogEntry> batch = takePending(false);
        if (batch.isEmpty()) return;
        try {
            writer.submit(records(batch)).whenComplete((results, failure) -> {
                if (failure != null && !storage.failed(failure)) {
                    LOG.warn("{} refusal summaries could not be written: {}", batch.size(), failure.getMessage());
                }
            });
        } catch (IngestLog.QueueFullException e) {
            synchronized (this) {
                pending.addAll(0, batch); // the writer is busy: next time
            }
        } catch (RuntimeException e) {
            LOG.warn("refusal summaries could not be written: {}", e.getMessage());
        }
    }

    private synchronized List<EventLogEntry> takePending(boolean all) {
        if (all) endMinute();
        else rollOver(clock.millis() / 60_000);
        List<EventLogEntry> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    private static List<IngestRecord> records(List<EventLogEntry> entries) {
        return entries.stream().map(IngestRecord::rejected).toList();
    }

    /** Stops the timer and writes what was counted so far, the current minute's too; before the writer closes. */
    @Override
    public void close() {
        flusher.shutdownNow();
        List<EventLogEntry> batch = takePending(true);
        if (batch.isEmpty()) return;
        try {
            CompletableFuture<?> done = writer.submit(records(batch));
            done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{} refusal summaries could not be written on shutdown: {}", batch.size(), e.getMessage());
        }
    }
}
