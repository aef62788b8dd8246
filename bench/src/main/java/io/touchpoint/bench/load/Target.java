package io.touchpoint.bench.load;

import io.touchpoint.core.admin.CreatedWorkspace;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.TouchpointServer;
import io.touchpoint.server.admin.AdminCredential;
import io.touchpoint.server.config.ConfigLoader;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.server.config.Stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/** The server under load: started in this JVM (the default), or one already running elsewhere. */
public interface Target extends AutoCloseable {
    /** A workspace id (null when unknown) and an ingest token. */
    record Workspace(String id, String token) {
    }

    String baseUrl();

    /** The workspace a scenario sends to. */
    Workspace workspaceFor(String scenario);

    /** The mark of a funnel of this workspace, for the Able webhook (which takes no token). */
    String funnelMark(Workspace w);

    /** Events stored for the workspace, when this program can read the store. */
    OptionalLong storedEvents(Workspace w);

    /** true: commits reach the disk before the acknowledgement; null: not known (another process). */
    Boolean durableCommits();

    String describe();

    @Override
    void close();

    /**
     * The real server in this JVM: configuration through {@link ConfigLoader} (an empty config file, so
     * no ./touchpoint.properties or TOUCHPOINT_* variable changes it), the store that {@link Stores#open}
     * picks (SQLite in a data folder, or PostgreSQL when a {@code db} URL is given), a port picked by the
     * system on 127.0.0.1. Each scenario gets its own workspace, whose rate limit is
     * set out of reach (the limiter still runs on every request) and whose event count is the scenario's.
     */
    final class Embedded implements Target {
        private final TouchpointServer server;
        private final Store store;
        private final Workspaces workspaces;
        private final ServerConfig config;
        private final Path dataDir;
        private final boolean deleteOnClose;
        private final String adminSecret;

        private Embedded(TouchpointServer server, Store store, ServerConfig config, Path dataDir, boolean deleteOnClose,
                         String adminSecret) {
            this.server = server;
            this.store = store;
            this.config = config;
            this.dataDir = dataDir;
            this.deleteOnClose = deleteOnClose;
            this.adminSecret = adminSecret;
            this.workspaces = new Workspaces(store, Clock.systemUTC());
        }

        /**
         * @param databaseUrl a PostgreSQL JDBC URL (config key {@code db}), or null for SQLite in the data folder;
         *                    PostgreSQL commits with synchronous_commit=on (the store sets it), whatever storageSync says
         */
        public static Embedded start(Path dataDir, String storageSync, boolean keepData, String databaseUrl) throws IOException {
            return start(dataDir, storageSync, keepData, databaseUrl, Map.of());
        }

        /** @param extraFlags more configuration keys, as flags (e.g. {@code proxies.trusted}) */
        public static Embedded start(Path dataDir, String storageSync, boolean keepData, String databaseUrl,
                              Map<String, String> extraFlags) throws IOException {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("touchpoint-bench-") : Files.createDirectories(dataDir);
            Path emptyConfig = Files.writeString(dir.resolve("bench.properties"), "# settings come from flags\n");
            Map<String, String> flags = new HashMap<>(Map.of("bind", "127.0.0.1", "port", "0", "data", dir.toString(),
                    "storage.sync", storageSync));
            if (databaseUrl != null) flags.put("db", databaseUrl);
            flags.putAll(extraFlags);
            ServerConfig config = new ConfigLoader(emptyConfig, Map.of(), flags).load();
            Store store = Stores.open(config);
            // an administrator secret made up for this run (DeliveryBench uses the admin API with it); nothing is stored
            String adminSecret = "tpa_bench_" + UUID.randomUUID();
            AdminCredential admin = new AdminCredential(store.settings(), adminSecret);
            TouchpointServer server;
            try {
                server = TouchpointServer.start(config, store, admin, Clock.systemUTC());
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            return new Embedded(server, store, config, dir, temporary && !keepData, adminSecret);
        }

        /** The administrator secret of this run, for the admin API (Authorization: Bearer). */
        public String adminSecret() {
            return adminSecret;
        }

        public Store store() {
            return store;
        }

        TouchpointServer server() {
            return server;
        }

        public Path dataDir() {
            return dataDir;
        }

        @Override
        public String baseUrl() {
            return server.baseUrl();
        }

        @Override
        public Workspace workspaceFor(String scenario) {
            CreatedWorkspace w = createWorkspace(scenario);
            return new Workspace(w.workspace().id(), w.token().secret());
        }

        /** A new workspace whose rate limit is out of reach (the limiter still runs on every request). */
        public CreatedWorkspace createWorkspace(String scenario) {
            return workspaces.create("bench-" + scenario + "-" + System.currentTimeMillis(),
                    new WorkspaceSettings("UTC", "USD", "US", Integer.MAX_VALUE));
        }

        @Override
        public String funnelMark(Workspace w) {
            return workspaces.createFunnel(w.id(), "bench").mark();
        }

        @Override
        public OptionalLong storedEvents(Workspace w) {
            return OptionalLong.of(store.events().count(w.id()));
        }

        @Override
        public Boolean durableCommits() {
            // PostgresStore always commits with synchronous_commit=on
            return config.usesPostgres() || config.durableCommits();
        }

        @Override
        public String describe() {
            return "in-process TouchpointServer at " + baseUrl() + ", "
                    + Stores.describe(config) + ", queue " + config.queueCapacity()
                    + " records, max " + config.maxBatch() + " records per commit";
        }

        @Override
        public void close() {
            server.close(); // drains the ingest queue, then closes the store
            if (deleteOnClose) {
                try (Stream<Path> files = Files.walk(dataDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** A server this program did not start: one token for every scenario; its store is out of reach. */
    public final class External implements Target {
        private final String url;
        private final String token;
        private final String funnelMark;

        /** @param funnelMark a funnel of the token's workspace, for the Able scenario; may be null */
        public External(String url, String token, String funnelMark) {
            this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            this.token = token;
            this.funnelMark = funnelMark;
        }

        @Override
        public String baseUrl() {
            return url;
        }

        @Override
        public Workspace workspaceFor(String scenario) {
            return new Workspace(null, token);
        }

        @Override
        public String funnelMark(Workspace w) {
            if (funnelMark == null) throw new IllegalStateException("the able scenario needs --funnel-mark with --url");
            return funnelMark;
        }

        @Override
        public OptionalLong storedEvents(Workspace w) {
            return OptionalLong.empty();
        }

        @Override
        public Boolean durableCommits() {
            return null;
        }

        @Override
        public String describe() {
            return "external server at " + url;
        }

        @Override
        public void close() {
        }
    }
}
