package io.touchpoint.server.fuzz;

import io.touchpoint.server.support.HttpTestClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What docs/ERRORS.md promises of every answer: its statuses, the one error shape, its types and codes. */
final class DocumentedAnswers {
    static final Set<Integer> STATUSES = Set.of(200, 201, 202, 204, 400, 401, 403, 404, 405, 408, 409, 413, 414, 415, 422, 429, 431, 503);
    static final Set<String> TYPES = Set.of("invalid_request_error", "authentication_error", "permission_error",
            "rate_limit_error", "api_error");
    /** The codes of the reference the server serves at /docs/errors (the anchors of its table). */
    static final Set<String> CODES = codes();

    private DocumentedAnswers() {
    }

    private static Set<String> codes() {
        try (InputStream in = DocumentedAnswers.class.getResourceAsStream("/ERRORS.md")) {
            String md = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("<a id=\"([a-z0-9_]+)\"></a>").matcher(md);
            return m.results().map(r -> r.group(1)).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that {@code r} is a documented answer; {@code what} names the request in a failure. */
    static void check(HttpTestClient.Response r, String what) {
        check(r, what, false);
    }

    /**
     * As {@link #check(HttpTestClient.Response, String)}, for a request that may have asked for CSV: a read answers
     * it as CSV when it succeeds, and in the one JSON error shape when it does not.
     */
    @SuppressWarnings("unchecked")
    static void check(HttpTestClient.Response r, String what, boolean csvAsked) {
        assertThat(r.status()).as("status of %s: %s", what, r.body()).isIn(STATUSES);
        if (r.status() == 204) return;
        if (csvAsked && r.status() == 200) {
            assertThat(r.header("Content-Type")).as("content type of %s", what).startsWith("text/csv");
            assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
            assertThat(r.header("Request-Id")).as(what).isNotBlank();
            return;
        }
        assertThat(r.header("Content-Type")).as("content type of %s", what).startsWith("application/json");
        assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertThat(r.json()).as("a JSON object answers %s: %s", what, r.body()).isNotEmpty();
        assertThat(r.header("Request-Id")).as(what).isNotBlank();
        if (r.status() < 400) return;
        Map<String, Object> body = r.json();
        assertThat(body).as("error shape of %s: %s", what, r.body()).containsEntry("status", r.status())
                .containsEntry("request_id", r.header("Request-Id"));
        assertThat(body.get("message")).as(what).isInstanceOf(String.class);
        Map<String, Object> error = (Map<String, Object>) body.get("error");
        assertThat(error).as("error object of %s: %s", what, r.body()).isNotNull()
                .containsKeys("type", "code", "param", "message", "doc_url");
        assertThat((String) error.get("type")).as(what).isIn(TYPES);
        assertThat((String) error.get("code")).as("code of %s: %s", what, r.body()).isIn(CODES);
        assertThat((String) error.get("doc_url")).as(what).endsWith("/docs/errors#" + error.get("code"));
        if (r.status() == 429 || r.status() == 503) assertThat(r.header("Retry-After")).as(what).isNotBlank();
    }
}
