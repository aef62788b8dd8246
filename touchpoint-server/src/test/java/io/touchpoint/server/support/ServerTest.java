package io.touchpoint.server.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.admin.CreatedWorkspace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real server per test class (PER_CLASS lifecycle, one temporary data folder), shared by its tests.
 * Tests keep apart by creating their own workspaces with {@link #newWorkspace()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicInteger workspaces = new AtomicInteger();
    protected Path dataDir;
    protected TestServer server;
    protected HttpTestClient http;

    /**
     * Extra server settings for this class, e.g. {@code Map.of("ingest.queue-capacity", "1")}; the PostgreSQL
     * variants of a test class return {@link #onPostgres()}.
     */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /** The server's clock; a class that moves time returns a {@link MovableClock} it keeps. */
    protected java.time.Clock clock() {
        return java.time.Clock.systemUTC();
    }

    /** Settings that put the server on a fresh schema of the test PostgreSQL server. */
    protected static Map<String, String> onPostgres() {
        return Map.of("db", io.touchpoint.tests.PostgresTestDatabase.freshSchemaUrl());
    }

    @BeforeAll
    void startServer(@TempDir Path dir) {
        dataDir = dir;
        server = TestServer.start(dir, settings(), clock());
        http = server.http;
    }

    @AfterAll
    void stopServer() {
        if (server != null) server.close();
    }

    /** Waits until both processor stages have handled every committed event ({@link TestServer#awaitProcessed()}). */
    protected void awaitProcessed() throws InterruptedException {
        server.awaitProcessed();
    }

    /** Sends one Cometly event ({@code POST /public-api/v1/events}) with the workspace's token; its event id. */
    protected String sendEvent(Ws ws, String body) {
        HttpTestClient.Response r = http.postJson("/public-api/v1/events", ws.token(), body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return (String) r.json().get("id");
    }

    /** {@code GET /api/v1/profiles?identifier=TYPE:VALUE} with the workspace's token: the profile found. */
    protected Map<String, Object> profileByIdentifier(Ws ws, String identifier) {
        HttpTestClient.Response r = http.get("/api/v1/profiles?identifier="
                + URLEncoder.encode(identifier, StandardCharsets.UTF_8), ws.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** A workspace of its own for one test; its token has the ingest and read scopes. */
    protected Ws newWorkspace() {
        CreatedWorkspace c = server.createWorkspace(getClass().getSimpleName() + "-" + workspaces.incrementAndGet());
        return new Ws(c.workspace().id(), c.workspace().name(), c.token().secret());
    }

    public record Ws(String id, String name, String token) {
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
