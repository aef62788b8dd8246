package io.touchpoint.server.support;

import io.touchpoint.core.admin.CreatedWorkspace;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.stage.AttributionStage;
import io.touchpoint.core.stage.IdentityStage;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.config.Stores;
import io.touchpoint.server.TouchpointServer;
import io.touchpoint.server.admin.AdminCredential;
import io.touchpoint.server.config.ConfigLoader;
import io.touchpoint.server.config.ServerConfig;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real server, in this JVM, on a free loopback port with a real SQLite file in a temporary folder
 * (or the PostgreSQL database that the setting "db" names).
 * {@link #ADMIN_TOKEN} is its administrator credential.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_TOKEN = "tpa_test_admin_token_for_tests_only";
    private final Store store;
    private final TouchpointServer server;
    private final Workspaces workspaces;
    public final HttpTestClient http;

    private TestServer(Store store, TouchpointServer server) {
        this.store = store;
        this.server = server;
        this.workspaces = new Workspaces(store, Clock.systemUTC());
        this.http = new HttpTestClient(server.baseUrl());
    }

    public static TestServer start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** @param settings extra config keys (see {@link ConfigLoader#DEFAULTS}), e.g. "ingest.queue-capacity" */
    public static TestServer start(Path dataDir, Map<String, String> settings) {
        return start(dataDir, settings, Clock.systemUTC());
    }

    /** @param clock the server's clock, e.g. a {@link MovableClock} to expire sessions without waiting */
    public static TestServer start(Path dataDir, Map<String, String> settings, Clock clock) {
        Map<String, String> flags = new HashMap<>(settings);
        flags.putIfAbsent("port", "0");
        flags.putIfAbsent("data", dataDir.toString());
        // no test reaches a real ad platform: syncs go to a closed loopback port unless a test points them at its fakes,
        // wait little between retries, and run only when asked
        for (String key : List.of("ad-sync.meta-url", "ad-sync.google-url", "ad-sync.google-token-url", "ad-sync.tiktok-url")) {
            flags.putIfAbsent(key, "http://127.0.0.1:9");
        }
        flags.putIfAbsent("ad-sync.backoff-ms", "10");
        flags.putIfAbsent("ad-sync.interval-hours", "0");
        ServerConfig config = new ConfigLoader(null, Map.of(), flags).load();
        Store store = Stores.open(config);
        AdminCredential admin = new AdminCredential(store.settings(), ADMIN_TOKEN);
        return new TestServer(store, TouchpointServer.start(config, store, admin, clock));
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** Every route as "METHOD /path". */
    public java.util.List<String> routes() {
        return server.routes();
    }

    public int port() {
        return server.port();
    }

    public Store store() {
        return store;
    }

    public Workspaces workspaces() {
        return workspaces;
    }

    /** A new workspace with default settings; its token has the ingest and read scopes. */
    public CreatedWorkspace createWorkspace(String name) {
        return workspaces.create(name, WorkspaceSettings.DEFAULTS);
    }

    /**
     * Waits (up to 20 s) until both processor stages have handled every committed event: the identity cursor at the
     * latest sequence and the attribution cursor at the identity cursor. Fails the test if they do not get there.
     */
    public void awaitProcessed() throws InterruptedException {
        IdentityStage identity = store.stages().identity();
        AttributionStage attribution = store.stages().attribution();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((identity.cursor() < identity.upstream() || attribution.cursor() < identity.cursor())
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long latest = identity.upstream();
        if (identity.cursor() != latest || attribution.cursor() != latest) {
            throw new AssertionError("the processor did not catch up in 20 s: identity at " + identity.cursor()
                    + ", attribution at " + attribution.cursor() + ", latest event " + latest);
        }
    }

    @Override
    public void close() {
        server.close(); // also closes the store
    }
}
