package io.touchpoint.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/** What one scenario sends, and how it reads a 2xx answer. */
public abstract class Workload {
    final String method;
    final String path;
    /** Events one request carries; 0 for the no-op route. */
    public final int eventsPerRequest;

    Workload(String method, String path, int eventsPerRequest) {
        this.method = method;
        this.path = path;
        this.eventsPerRequest = eventsPerRequest;
    }

    /** The next request's body, or null; called from many threads. */
    abstract byte[] nextBody();

    /** For a 2xx answer: how many of the request's events the server confirms it stored as new. */
    abstract int acceptedEvents(String body);

    /** GET /noop: the HTTP stack, routing and the server's before/after filters, no body, no storage. */
    public static Workload noop() {
        return new Workload("GET", "/noop", 0) {
            @Override
            byte[] nextBody() {
                return null;
            }

            @Override
            int acceptedEvents(String body) {
                return 0;
            }
        };
    }

    /** POST /public-api/v1/events with one event; answered 202 after the durable commit. */
    public static Workload single(Payloads payloads) {
        AtomicLong seq = new AtomicLong();
        return new Workload("POST", "/public-api/v1/events", 1) {
            @Override
            byte[] nextBody() {
                return payloads.single(seq.getAndIncrement());
            }

            @Override
            int acceptedEvents(String body) {
                return body != null && body.contains("\"outcome\":\"accepted\"") ? 1 : 0;
            }
        };
    }

    /**
     * POST /uip-events/event, the Able webhook, with the seed's purchase shape and a unique order id; no token
     * (the funnel mark selects workspace and funnel); answered 202 after the durable commit, like {@code single}.
     */
    public static Workload able(Payloads payloads, String funnelMark) {
        AtomicLong seq = new AtomicLong();
        return new Workload("POST", "/uip-events/event", 1) {
            @Override
            byte[] nextBody() {
                return payloads.able(seq.getAndIncrement(), funnelMark);
            }

            @Override
            int acceptedEvents(String body) {
                return body != null && body.contains("\"outcome\":\"accepted\"") ? 1 : 0;
            }
        };
    }

    /** POST /public-api/v1/events/batch with {@code size} events; answered 200 with per-event results. */
    public static Workload batch(Payloads payloads, int size) {
        AtomicLong seq = new AtomicLong();
        return new Workload("POST", "/public-api/v1/events/batch", size) {
            @Override
            byte[] nextBody() {
                return payloads.batch(seq.getAndAdd(size), size);
            }

            @Override
            int acceptedEvents(String body) {
                return intField(body, "\"accepted\":");
            }
        };
    }

    /** The number after the first occurrence of {@code key} (the batch summary precedes the results). */
    static int intField(String body, String key) {
        if (body == null) return 0;
        int i = body.indexOf(key);
        if (i < 0) return 0;
        i += key.length();
        int n = 0;
        while (i < body.length() && Character.isDigit(body.charAt(i))) n = n * 10 + (body.charAt(i++) - '0');
        return n;
    }
}
