package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local stand-in for an ad platform's HTTP API: real HTTP on 127.0.0.1, every request recorded,
 * accepted events counted by the platform's own dedup key, contract violations listed, and faults
 * (canned failures, refused connections, slow answers, rate limits) injected on demand.
 */
public abstract class FakePlatform implements AutoCloseable {

    /** One request as received, headers keyed by lower-case name. */
    public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                                  String body, Instant receivedAt) {
        /** The first value of a header (case-insensitive name), or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The first value of a query parameter, URL-decoded, or null. */
        public String queryParam(String name) {
            return FakePlatform.formValues(query).get(name);
        }
    }

    /** An event the platform kept, with the key it deduplicates on. */
    public record AcceptedEvent(String dedupKey, JsonNode payload, Instant acceptedAt) {
    }

    /** What the fake answers: status, body, extra headers. */
    protected record Answer(int status, String body, Map<String, String> headers) {
        public static Answer json(int status, Object body) {
            try {
                return new Answer(status, JSON.writeValueAsString(body), Map.of("Content-Type", "application/json; charset=UTF-8"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public static Answer empty(int status) {
            return new Answer(status, "", Map.of());
        }

        Answer withHeader(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Answer(status, body, all);
        }
    }

    protected static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Map<String, Integer> received = new HashMap<>();
    private final Map<String, List<AcceptedEvent>> acceptedByKey = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Deque<Answer> cannedFailures = new ArrayDeque<>();
    private HttpServer server;
    private int port;
    private Duration delay = Duration.ZERO;
    private Clock clock = Clock.systemUTC();
    private int rateLimitAfter = -1;
    private int handledSinceReset;

    protected FakePlatform() {
        start(0);
    }

    /** "http://127.0.0.1:PORT": the platform's host is replaced by this, paths stay the platform's. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Contract violations seen so far, each a sentence naming the request part at fault. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** How many times the platform counted this key as a new event (a re-send inside the dedup window counts once). */
    public synchronized int acceptedCount(String dedupKey) {
        List<AcceptedEvent> events = acceptedByKey.get(dedupKey);
        return events == null ? 0 : events.size();
    }

    /** How many times an event with this key arrived in a request the platform understood, duplicates included. */
    public synchronized int receivedCount(String dedupKey) {
        return received.getOrDefault(dedupKey, 0);
    }

    /** The dedup keys of accepted events, in the order first accepted. */
    public synchronized Set<String> acceptedKeys() {
        return new LinkedHashSet<>(acceptedByKey.keySet());
    }

    public synchronized List<AcceptedEvent> acceptedEvents() {
        return acceptedByKey.values().stream().flatMap(List::stream).toList();
    }

    /** The next {@code n} requests get this answer instead of the platform's (e.g. 500, or 429 with Retry-After). */
    public synchronized void failNext(int n, int status, String body, Map<String, String> headers) {
        for (int i = 0; i < n; i++) {
            cannedFailures.add(new Answer(status, body == null ? "" : body, headers == null ? Map.of() : Map.copyOf(headers)));
        }
    }

    /** True closes the listening socket (connections are refused); false reopens it on the same port. */
    public void down(boolean down) {
        if (down) {
            stopServer();
        } else {
            up();
        }
    }

    /** Reopens the listening socket on the port it had before {@link #down(boolean)}. */
    public synchronized void up() {
        if (server == null) {
            start(port);
        }
    }

    /** Every answer waits this long first, so callers can exercise their timeouts. */
    public synchronized void delay(Duration delay) {
        this.delay = delay == null ? Duration.ZERO : delay;
    }

    /** After {@code n} more requests reach the platform logic, every request gets the platform's rate-limit answer. */
    public synchronized void rateLimitAfter(int n) {
        this.rateLimitAfter = n;
        this.handledSinceReset = 0;
    }

    /** The clock used for event-age checks and dedup windows; tests move it to cross a window. */
    public synchronized void useClock(Clock clock) {
        this.clock = clock;
    }

    /** Forgets requests, events, violations and faults; configuration (ids, tokens) stays. */
    public synchronized void reset() {
        requests.clear();
        received.clear();
        acceptedByKey.clear();
        violations.clear();
        cannedFailures.clear();
        delay = Duration.ZERO;
        rateLimitAfter = -1;
        handledSinceReset = 0;
        up();
    }

    @Override
    public void close() {
        stopServer();
        executor.shutdownNow();
    }

    /** The platform's answer to a request that passed fault injection. */
    protected abstract Answer handle(RecordedRequest request);

    /** The platform's own answer when its rate limit is hit. */
    protected Answer rateLimitAnswer() {
        return Answer.empty(429);
    }

    protected synchronized Instant now() {
        return clock.instant();
    }

    protected synchronized void violation(String text) {
        violations.add(text);
    }

    /** Counts one arrival of {@code key}; true when the platform keeps it as new (none accepted within {@code window}, null meaning forever). */
    protected synchronized boolean recordEvent(String key, JsonNode payload, Duration window) {
        noteReceived(key);
        if (isAccepted(key, window)) {
            return false;
        }
        acceptedByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new AcceptedEvent(key, payload, now()));
        return true;
    }

    /** True when an event with this key was accepted within {@code window} before now (null meaning forever). */
    protected synchronized boolean isAccepted(String key, Duration window) {
        List<AcceptedEvent> events = acceptedByKey.get(key);
        if (events == null || events.isEmpty()) {
            return false;
        }
        Instant last = events.get(events.size() - 1).acceptedAt();
        return window == null || last.plus(window).isAfter(now());
    }

    /** Counts an arrival the platform refused as a duplicate. */
    protected synchronized void noteReceived(String key) {
        received.merge(key, 1, Integer::sum);
    }

    /** Parses "a=1&b=two" (URL-decoded); a repeated name keeps its first value. */
    protected static Map<String, String> formValues(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }

    private synchronized void start(int wantedPort) {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 50);
            created.setExecutor(executor);
            created.createContext("/", this::exchange);
            created.start();
            server = created;
            port = created.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("fake could not listen on 127.0.0.1:" + wantedPort, e);
        }
    }

    private void stopServer() {
        HttpServer running;
        synchronized (this) {
            running = server;
            server = null;
        }
        if (running != null) {
            running.stop(0);
        }
    }

    private void exchange(HttpExchange exchange) {
        try (exchange) {
            RecordedRequest request = read(exchange);
            Duration wait;
            Answer canned;
            boolean limited;
            synchronized (this) {
                requests.add(request);
                wait = delay;
                canned = cannedFailures.poll();
                limited = canned == null && rateLimitAfter >= 0 && handledSinceReset++ >= rateLimitAfter;
            }
            if (!wait.isZero()) {
                Thread.sleep(wait.toMillis());
            }
            Answer answer;
            if (canned != null) {
                answer = canned;
            } else if (limited) {
                answer = rateLimitAnswer();
            } else {
                answer = handleSafely(request);
            }
            write(exchange, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the caller hung up (e.g. its timeout fired during a delay); nothing left to answer
        }
    }

    private Answer handleSafely(RecordedRequest request) {
        try {
            return handle(request);
        } catch (RuntimeException e) {
            violation("the fake failed on " + request.method() + " " + request.path() + ": " + e);
            return Answer.empty(500);
        }
    }

    private RecordedRequest read(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), List.copyOf(values)));
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), Map.copyOf(headers), body, now());
    }

    private static void write(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        boolean noBody = bytes.length == 0 || answer.status() == 204 || answer.status() == 304;
        exchange.sendResponseHeaders(answer.status(), noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
