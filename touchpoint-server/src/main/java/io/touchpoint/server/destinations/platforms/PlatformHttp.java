package io.touchpoint.server.destinations.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.server.http.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * The outbound HTTP all senders and the ad account syncs share: one JDK client, a connect and a request timeout, JSON bodies, and one shape
 * for what came back. A transport failure (refused, timed out, reset) is an answer with status 0, never an exception.
 */
public final class PlatformHttp {
    private final HttpClient client;
    private final Duration timeout;
    private final String userAgent;

    public record Answer(int status, String body, Map<String, java.util.List<String>> headers) {
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
            var values = headers.getOrDefault("retry-after", java.util.List.of());
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
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.userAgent = userAgent;
    }

    public Answer postJson(String url, Map<String, String> headers, Object body) {
        return post(url, headers, "application/json", Json.text(body));
    }

    public Answer post(String url, Map<String, String> headers, String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    public Answer get(String url, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
    }

    private Answer send(HttpRequest.Builder b, Map<String, String> headers) {
        b.timeout(timeout).header("User-Agent", userAgent);
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, java.util.List<String>> lower = new java.util.HashMap<>();
            r.headers().map().forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
            return new Answer(r.statusCode(), r.body(), lower);
        } catch (HttpTimeoutException e) {
            return new Answer(0, "timed out after " + timeout.toSeconds() + " s", Map.of());
        } catch (IOException e) {
            return new Answer(0, "no answer: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted while sending", Map.of());
        }
    }

    /** Whether a status is worth another try: no answer, a timeout, a rate limit, the platform's own fault. */
    public static boolean transientStatus(int status) {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }
}
