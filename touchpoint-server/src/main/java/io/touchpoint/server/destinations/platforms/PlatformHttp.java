package io.touchpoint.server.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.server.http.Json;

import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The outbound HTTP all senders, the ad account syncs and the exports share: one Jetty client (a fraction of the JDK
 * client's CPU per request, which matters where a platform takes one event a request), a connect and a request
 * timeout, JSON bodies, and one shape for what came back. A transport failure (refused, timed out, reset) is an answer
 * with status 0, never an exception. Its threads are daemons, so an instance nobody closed never holds the JVM open.
 */
public final class PlatformHttp implements AutoCloseable {
    /** Platforms' answers are small; an export's or a report's page can be a few megabytes. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;
    /** Several destinations of one platform share its host, each with up to 128 single-event requests in flight. */
    private static final int CONNECTIONS_PER_HOST = 512;
    /** Shorter than the idle timeouts servers commonly keep (60 s and more), so a pooled connection is rarely found closed. */
    private static final Duration IDLE_CONNECTION = Duration.ofSeconds(20);

    private final HttpClient client;
    private final Duration timeout;

    public record Answer(int status, String body, Map<String, List<String>> headers) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The platform's body parsed, or null when it is not JSON. */
        public JsonNode json() {
            if (body == null || body.isBlank()) return null;
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        /** {@code Retry-After} as seconds or an HTTP date. */
        public Optional<Duration> retryAfter() {
            var values = headers.getOrDefault("retry-after", List.of());
            if (values.isEmpty()) return Optional.empty();
            String v = values.get(0).strip();
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
            } catch (NumberFormatException e) {
                try {
                    Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return Optional.of(Duration.between(Instant.now(), at).isNegative() ? Duration.ZERO : Duration.between(Instant.now(), at));
                } catch (RuntimeException ignored) {
                    return Optional.empty();
                }
            }
        }

        /** What the ledger keeps: the body, or what went wrong on the way. */
        public String summary() {
            return body == null ? "" : body;
        }
    }

    public PlatformHttp(Duration connectTimeout, Duration timeout, String userAgent) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("platform-http");
        threads.setDaemon(true);
        ClientConnector connector = new ClientConnector();
        connector.setExecutor(threads);
        connector.setScheduler(new ScheduledExecutorScheduler("platform-http-timer", true));
        connector.setConnectTimeout(connectTimeout);
        connector.setIdleTimeout(IDLE_CONNECTION);
        HttpClient c = new HttpClient(new HttpClientTransportOverHTTP(connector));
        c.setFollowRedirects(false);
        c.setMaxConnectionsPerDestination(CONNECTIONS_PER_HOST);
        c.setMaxRequestsQueuedPerDestination(Integer.MAX_VALUE);
        c.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, userAgent));
        try {
            c.start();
        } catch (Exception e) {
            throw new IllegalStateException("the outbound HTTP client did not start", e);
        }
        // a platform's 401 or 407 is its answer to keep in the ledger, not a challenge for the client to take up
        c.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        c.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
        this.client = c;
        this.timeout = timeout;
    }

    public Answer postJson(String url, Map<String, String> headers, Object body) {
        return post(url, headers, "application/json", Json.text(body));
    }

    public Answer post(String url, Map<String, String> headers, String contentType, String body) {
        return send(client.newRequest(url).method(HttpMethod.POST).body(new StringRequestContent(contentType, body)), headers);
    }

    public Answer get(String url, Map<String, String> headers) {
        return send(client.newRequest(url).method(HttpMethod.GET), headers);
    }

    private Answer send(Request request, Map<String, String> headers) {
        request.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).headers(h -> headers.forEach(h::put));
        try {
            ContentResponse r = new CompletableResponseListener(request, MAX_ANSWER_BYTES).send().get();
            Map<String, List<String>> lower = new HashMap<>();
            r.getHeaders().forEach(f -> lower.computeIfAbsent(f.getLowerCaseName(), k -> new ArrayList<>()).add(f.getValue()));
            return new Answer(r.getStatus(), r.getContentAsString(), lower);
        } catch (InterruptedException e) {
            request.abort(e);
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted while sending", Map.of());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof TimeoutException) return new Answer(0, "timed out after " + timeout.toSeconds() + " s", Map.of());
            return new Answer(0, "no answer: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), Map.of());
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the outbound HTTP client did not stop", e);
        }
    }

    /** Whether a status is worth another try: no answer, a timeout, a rate limit, the platform's own fault. */
    public static boolean transientStatus(int status) {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }
}
