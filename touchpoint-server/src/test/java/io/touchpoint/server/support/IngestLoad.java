package io.touchpoint.server.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends Cometly events from several threads as fast as the server answers, each with its own idempotency
 * key, and remembers every event the server acknowledged (202 with an event id). A thread ends when the
 * load is stopped or when the connection fails (the server is gone). Answers other than 202 and 503
 * (overloaded) are collected in {@link #unexpected()}.
 */
public final class IngestLoad implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private final String token;
    private final String keyPrefix;
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final List<String> connectionFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger overloaded = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    private IngestLoad(String baseUrl, String token, String keyPrefix) {
        this.uri = URI.create(baseUrl + "/public-api/v1/events");
        this.token = token;
        this.keyPrefix = keyPrefix;
    }

    /** Starts {@code threads} senders; idempotency keys are {@code keyPrefix-thread-n}. */
    public static IngestLoad start(String baseUrl, String token, int threads, String keyPrefix) {
        IngestLoad load = new IngestLoad(baseUrl, token, keyPrefix);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            load.running.incrementAndGet();
            load.threads.add(Thread.ofPlatform().daemon().name("load-" + t).start(() -> load.send(thread)));
        }
        return load;
    }

    private void send(int thread) {
        try {
            for (int n = 0; !stop; n++) {
                String key = keyPrefix + "-" + thread + "-" + n;
                String body = "{\"event_name\":\"purchase\",\"email\":\"buyer" + thread + "." + n
                        + "@example.com\",\"amount\":" + (n % 500) + ".25,\"order_id\":\"" + key
                        + "\",\"idempotency_key\":\"" + key + "\"}";
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                HttpResponse<String> r;
                inFlight.incrementAndGet();
                sent.incrementAndGet();
                try {
                    r = client.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    connectionFailures.add(key + ": " + e);
                    return; // the server is gone
                } finally {
                    inFlight.decrementAndGet();
                }
                Map<String, Object> json = HttpTestClient.parse(r.body());
                if (r.statusCode() == 202 && "accepted".equals(json.get("outcome")) && json.get("id") instanceof String id) {
                    acknowledged.put(key, id);
                } else if (r.statusCode() == 503) {
                    overloaded.incrementAndGet();
                    Thread.sleep(5);
                } else {
                    unexpected.add(key + " -> " + r.statusCode() + " " + r.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.decrementAndGet();
        }
    }

    /** Every acknowledged event: idempotency key to event id. */
    public Map<String, String> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    public int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Requests sent and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Sender threads still sending. */
    public int running() {
        return running.get();
    }

    public int sent() {
        return sent.get();
    }

    public int overloaded() {
        return overloaded.get();
    }

    public List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    /** Requests that got no answer because the connection failed: at most one per thread. */
    public List<String> connectionFailures() {
        return List.copyOf(connectionFailures);
    }

    /** Waits until at least {@code count} events were acknowledged, failing after {@code timeout}. */
    public void awaitAcknowledged(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acknowledged.size() + " of " + count + " events acknowledged within "
                        + timeout + "; unexpected answers: " + head(unexpected) + "; connection failures: "
                        + head(connectionFailures));
            }
            if (running.get() == 0) throw new AssertionError("every sender stopped: " + head(connectionFailures)
                    + " " + head(unexpected));
            Thread.sleep(10);
        }
    }

    /** Waits until a request is on its way, so a fault lands in the middle of the stream. */
    public void awaitInFlight(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() == 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("no request in flight within " + timeout);
            Thread.onSpinWait();
        }
    }

    /** Waits for every sender to end on its own (after the server went away), failing after {@code timeout}. */
    public void awaitSendersEnded(Duration timeout) throws InterruptedException {
        for (Thread t : threads) {
            t.join(timeout);
            if (t.isAlive()) throw new AssertionError(t.getName() + " still sends " + timeout + " after the fault");
        }
    }

    private static String head(List<String> items) {
        return items.size() <= 3 ? items.toString() : items.subList(0, 3) + " and " + (items.size() - 3) + " more";
    }

    /** Stops the senders and waits for them (bounded). */
    @Override
    public void close() {
        stop = true;
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(35));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        client.close();
    }
}
