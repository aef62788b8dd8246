package io.touchpoint.server;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.store.Store;
import io.touchpoint.core.auth.SecretBox;
import io.touchpoint.server.admin.AdminCredential;
import io.touchpoint.server.admin.EmailSignIn;
import io.touchpoint.server.admin.AdminRoutes;
import io.touchpoint.server.admin.SetAsideRoutes;
import io.touchpoint.server.processing.SetAsideRetry;
import io.touchpoint.core.stage.AttributionStage;
import io.touchpoint.core.stage.IdentityStage;
import io.touchpoint.server.processing.StageRunner;
import io.touchpoint.server.admin.SessionRoutes;
import io.touchpoint.server.admin.SettingsRoutes;
import io.touchpoint.server.adaccounts.AdAccountRoutes;
import io.touchpoint.server.adaccounts.AdSync;
import io.touchpoint.server.adaccounts.AdSyncSchedule;
import io.touchpoint.server.config.ServerConfig;
import io.touchpoint.server.dashboard.DashboardRoutes;
import io.touchpoint.server.config.SecretKeys;
import io.touchpoint.server.config.Tls;
import io.touchpoint.server.destinations.DeliveryEngine;
import io.touchpoint.server.destinations.DeliveryRetention;
import io.touchpoint.server.destinations.DestinationRoutes;
import io.touchpoint.server.destinations.DestinationViews;
import io.touchpoint.server.destinations.RetryPolicy;
import io.touchpoint.server.destinations.platforms.PlatformHttp;
import io.touchpoint.core.admin.AdAccounts;
import io.touchpoint.core.admin.Destinations;
import io.touchpoint.server.eventlog.EventLogRoutes;
import io.touchpoint.server.exports.ExportRoutes;
import io.touchpoint.server.exports.ExportRunner;
import io.touchpoint.server.exports.ExportScheduler;
import io.touchpoint.server.exports.ExportSchedules;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.JettyErrors;
import io.touchpoint.server.http.RateLimiter;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.http.StorableRequest;
import io.touchpoint.server.http.Sessions;
import io.touchpoint.server.http.SignInThrottle;
import io.touchpoint.server.ingest.AbleRoutes;
import io.touchpoint.server.ingest.CometlyRoutes;
import io.touchpoint.server.ingest.FunnelResolver;
import io.touchpoint.server.ingest.IngestPipeline;
import io.touchpoint.server.attribution.AttributionAdminRoutes;
import io.touchpoint.server.audit.AuditRetention;
import io.touchpoint.server.audit.AuditRoutes;
import io.touchpoint.server.audit.AuditTrail;
import io.touchpoint.server.attribution.AttributionRoutes;
import io.touchpoint.server.attribution.ReportSnapshots;
import io.touchpoint.server.attribution.ReportDrillDownRoutes;
import io.touchpoint.server.views.SavedViewRoutes;
import io.touchpoint.server.attribution.DataDrivenRuns;
import io.touchpoint.server.attribution.PathRoutes;
import io.touchpoint.server.traffic.TrafficRoutes;
import io.touchpoint.server.attribution.PathRuns;
import io.touchpoint.server.identity.GuardrailRoutes;
import io.touchpoint.server.identity.ProfileRoutes;
import io.touchpoint.server.ingest.IngestLog;
import io.touchpoint.server.ingest.IngestWriter;
import io.touchpoint.server.kafka.IngestTopic;
import io.touchpoint.server.kafka.KafkaIngestLog;
import io.touchpoint.server.kafka.KafkaStoreWriter;
import io.touchpoint.server.ingest.TestEventRoutes;
import io.touchpoint.server.ops.ApiDocsRoutes;
import io.touchpoint.server.ops.OpsRoutes;
import io.touchpoint.server.ops.Upkeep;
import io.touchpoint.server.http.RequestTelemetry;
import io.touchpoint.server.telemetry.BuildInfo;
import io.touchpoint.server.telemetry.ServerMetrics;
import io.touchpoint.server.telemetry.StorageHealth;
import io.touchpoint.server.pixel.FirstParty;
import io.touchpoint.server.pixel.PixelRoutes;
import io.touchpoint.server.pixel.RecognitionRoutes;
import io.touchpoint.server.pixel.VisitorCookie;
import io.touchpoint.server.sso.SsoRoutes;
import io.touchpoint.server.users.SessionPurge;
import io.touchpoint.server.users.UserRoutes;
import io.touchpoint.core.users.Users;
import io.touchpoint.server.pixel.VisitorRegion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** The running program: HTTP edge, ingest writer and store, started and stopped together. */
public final class TouchpointServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TouchpointServer.class);
    private final ServerConfig config;
    private final Store store;
    private final IngestLog writer;
    /** Kafka mode only (else null): moves the ingest topic's records into the store. */
    private final KafkaStoreWriter storeWriter;
    private final StageRunner identity;
    private final StageRunner attribution;
    private final DeliveryEngine delivery;
    private final DataDrivenRuns dataDriven;
    private final StageRunner logIndex;
    private final StageRunner traffic;
    private final StageRunner peopleSearchIndex;
    /** The purges of what outlived its retention: sessions, audit entries, finished deliveries. */
    private final Upkeep upkeep;
    private final AdSyncSchedule adSyncSchedule;
    private final PlatformHttp outbound;
    private final ReportSnapshots reportSnapshots;
    private final Authenticator auth;
    private final ExportScheduler exports;
    private final StorageHealth storage;
    private final IngestPipeline edge;
    private final Javalin app;
    private final AutoCloseable jvmMetrics;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<String> routes = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    /** The setting the storage probe rewrites while the disk is full. */
    static final String STORAGE_PROBE_KEY = "storage_probe";

    /** How often Markov and Shapley are recomputed for every workspace's last 30 days. */
    static final java.time.Duration DATA_DRIVEN_INTERVAL = java.time.Duration.ofHours(1);

    private TouchpointServer(ServerConfig config, Store store, AdminCredential admin, Clock clock) {
        this.config = config;
        this.store = store;
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.jvmMetrics = ServerMetrics.bindJvmAndProcess(metrics);
        BuildInfo.current().register(metrics);
        RequestTelemetry telemetry = new RequestTelemetry(metrics, config.logRequests());
        HttpsPolicy https = new HttpsPolicy(config.httpsRequiredEffective(), config.allowLoopbackHttp(),
                config.trustedProxies(), config.proxyHeaders() == ServerConfig.ProxyHeaders.FORWARDED
                ? HttpsPolicy.Headers.FORWARDED : HttpsPolicy.Headers.X_FORWARDED);
        FirstParty firstParty = new FirstParty(config.pixelPathPrefix(), config.pixelScriptName(),
                config.pixelCollectName());
        RateLimiter limiter = new RateLimiter();
        Sessions sessions = new Sessions(store.sessions(), store.users(), clock);
        this.auth = new Authenticator(store, clock, admin::hash, sessions, limiter, https::clientIp);
        Users users = new Users(store, clock);
        SignInThrottle signIns = new SignInThrottle(clock);
        Runnable touchTokens = () -> store.tokens().touch(auth.drainLastUsed());
        this.writer = config.kafka().enabled()
                ? new KafkaIngestLog(config.kafka(), store.events(), config.queueCapacity(), metrics)
                : new IngestWriter(store.ingest(), config.queueCapacity(), config.maxBatch(), metrics, touchTokens);
        this.storeWriter = config.kafka().enabled()
                ? new KafkaStoreWriter(config.kafka(), store.ingest(), metrics, touchTokens) : null;
        StageRunner.Ingest ingest = new StageRunner.Ingest(() -> writer.queuedRecords() > 0, writer::recentlyActive);
        // Kafka mode: identity and attribution follow the partitions this process's store writer holds, each behind its
        // own position
        IdentityStage identityStage = storeWriter == null ? store.stages().identity()
                : store.stages().identity().byPartition(storeWriter::ownedPartitions);
        this.identity = StageRunner.of(identityStage, metrics, ingest).settingAsideIn(store.setAside()).timed()
                .batch(config.identityQuietBatchOr(identityStage.quietBatch()))
                .counted("touchpoint.identity.events.resolved", "Events the identity stage has resolved to profiles")
                .lag("Committed events the identity stage has not resolved, set-aside ones included")
                .cursor("Sequence of the last event the identity stage resolved").build();
        AttributionStage attributionStage = storeWriter == null ? store.stages().attribution()
                : store.stages().attribution().byPartition(storeWriter::ownedPartitions);
        this.attribution = StageRunner.of(attributionStage, metrics, ingest).settingAsideIn(store.setAside()).timed()
                .counted("touchpoint.attribution.items.processed", "Events and merges the attribution stage has turned into touchpoints and credits")
                .lag("Events resolved to profiles whose touchpoints and credits are not stored, set-aside ones included").build();
        SecretBox secrets = SecretKeys.box(config);
        Destinations destinations = new Destinations(store, secrets, clock);
        destinations.resealAll();
        AdAccounts adAccounts = new AdAccounts(store, secrets, clock);
        adAccounts.resealAll();
        this.outbound = new PlatformHttp(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(config.deliveryTimeoutSeconds()),
                BuildInfo.current().userAgent());
        AdSync adSync = new AdSync(store, adAccounts, config.adSync(), outbound, clock);
        this.adSyncSchedule = new AdSyncSchedule(store.adAccounts(), adSync, clock);
        RetryPolicy retry = new RetryPolicy(RetryPolicy.DEFAULT.base(), RetryPolicy.DEFAULT.cap(), config.deliveryMaxAttempts(),
                java.time.Duration.ofHours(config.deliveryMaxAgeHours()));
        this.delivery = new DeliveryEngine(store, destinations, retry, outbound, clock, metrics, ingest, storeWriter == null ? null : storeWriter::ownedPartitions);
        this.dataDriven = new DataDrivenRuns(store.attribution(), store.workspaces(), clock, DATA_DRIVEN_INTERVAL);
        this.logIndex = StageRunner.of(store.stages().eventLogIndex(), metrics, ingest).counted("touchpoint.event_log.indexed.entries",
                "Events-log entries whose identifiers the log indexer moved into the identifier index").build();
        this.traffic = StageRunner.of(store.stages().traffic(), metrics, ingest).counted("touchpoint.traffic.events.read",
                "Resolved events the traffic stage has read, counting the page views among them").build();
        this.peopleSearchIndex = StageRunner.of(store.stages().peopleSearchIndex(), metrics, ingest)
                .counted("touchpoint.people_search.indexed.links", "Identity links the people-search indexer added to the search's index")
                .build();
        // the probe rewrites one small setting: a durable write that needs room on the store's disk
        this.storage = new StorageHealth(() -> store.settings().put(STORAGE_PROBE_KEY, clock.instant().toString()), metrics);
        this.edge = new IngestPipeline(writer, auth, limiter, https, clock, metrics, storage);
        Workspaces workspaces = new Workspaces(store, clock);
        AuditTrail audit = new AuditTrail(store.audit(), clock, https::clientIp);
        this.upkeep = new Upkeep()
                .every(SessionPurge.INTERVAL, SessionPurge.INTERVAL, "expired sessions' purge", new SessionPurge(sessions, users)::purge)
                .every(AuditRetention.INTERVAL, AuditRetention.FIRST, "audit log purge", new AuditRetention(store.audit(), clock,
                        java.time.Duration.ofDays(config.auditRetentionDays()))::purge)
                .every(DeliveryRetention.INTERVAL, DeliveryRetention.FIRST, "delivery purge", new DeliveryRetention(store.destinations(),
                        clock, java.time.Duration.ofDays(config.deliveryRetentionDays()))::purge);
        FunnelResolver funnels = new FunnelResolver(store);
        ExportSchedules exportSchedules = new ExportSchedules(store.exports(), workspaces, secrets, clock);
        exportSchedules.resealAll();
        ExportRunner exportRunner = new ExportRunner(store.exports(), exportSchedules, workspaces, store.eventLog(),
                store.attribution(), dataDriven, config.exportsRootEffective(), outbound, ExportRunner.RETRY, clock);
        this.exports = new ExportScheduler(store.exports(), store.workspaces(), exportRunner, clock);
        Map<String, Counter> responses = new ConcurrentHashMap<>();
        this.reportSnapshots = ReportSnapshots.in(config.reportSnapshotDirEffective(), store.settings(), store.schemaVersion());

        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = 32L * 1024 * 1024; // routes apply their own, smaller limits
            cfg.jetty.host = config.bind();
            cfg.jetty.port = config.port();
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(10_000);
                server.setErrorHandler(new JettyErrors());
            });
            cfg.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JettyErrors()));
            if (config.tlsEnabled()) {
                cfg.jetty.addConnector((server, httpConfig) -> tlsConnector(server, httpConfig, config));
            }
            cfg.events.handlerAdded(h -> {
                if (h.getHttpMethod().isHttpMethod()) routes.add(h.getHttpMethod() + " " + h.getPath());
            });
            cfg.routes.before(ctx -> {
                String requestId = Ids.request();
                ctx.attribute(Responses.REQUEST_ID_ATTRIBUTE_NAME, requestId);
                ctx.header(Responses.REQUEST_ID_HEADER, requestId);
                ctx.header("X-Content-Type-Options", "nosniff");
                // browsers that reached the server over HTTPS once never try plain HTTP for it again
                if ("https".equals(https.scheme(ctx))) ctx.header("Strict-Transport-Security", "max-age=31536000");
                RequestTelemetry.begin(ctx, requestId); // request and trace ids into the log's MDC
                StorableRequest.check(ctx);
            });
            cfg.routes.after(ctx -> {
                int status = ctx.statusCode();
                responses.computeIfAbsent(status / 100 + "xx", s -> Counter.builder("touchpoint.http.responses")
                        .description("HTTP responses by status class").tag("status", s).register(metrics)).increment();
            });
            cfg.routes.after(audit::record); // admin changes, sign-ins, erasures and exports (server.audit.AuditedChanges)
            // once the answer is written: the latency histogram and the request log line; clears the MDC
            cfg.requestLogger.http(telemetry::finished);
            cfg.routes.exception(ApiException.class, (e, ctx) -> Responses.error(ctx, e));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> Responses.error(ctx, fromJavalin(e)));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                if (storage.failed(e)) { // logged by StorageHealth, at most once a minute
                    Responses.error(ctx, ApiException.storageFull(StorageHealth.RETRY_AFTER_SECONDS));
                    return;
                }
                LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                Responses.error(ctx, ApiException.serverError("internal_error",
                        "an unexpected error occurred; the request id identifies it in the server log"));
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    Responses.error(ctx, ApiException.notFound("no endpoint " + ctx.method() + " " + ctx.path()));
                }
            });
            cfg.routes.get("/noop", ctx -> ctx.result("ok")); // the HTTP stack's own ceiling, for benchmarks
            CometlyRoutes.routes(cfg.routes, edge);
            AbleRoutes.routes(cfg.routes, edge, funnels);
            PixelRoutes.routes(cfg.routes, edge, store, limiter, https, clock, firstParty,
                    new VisitorCookie(config.pixelServerCookie(), https),
                    new VisitorRegion(config.consentCountryHeader(), config.consentSubdivisionHeader()));
            RecognitionRoutes.routes(cfg.routes, store.events(), auth, https, workspaces, identity, clock,
                    config.pixelServerCookie());
            EventLogRoutes.routes(cfg.routes, store.eventLog(), auth, https, workspaces, store.identity(),
                    store.attribution(), store.destinations(), store.setAside());
            ProfileRoutes.routes(cfg.routes, store.identity(), store.eventLog(), store.attribution(), auth, https, workspaces, identity,
                    reportSnapshots::forget);
            GuardrailRoutes.routes(cfg.routes, store.identity(), workspaces, auth, https);
            AttributionRoutes.routes(cfg.routes, store.attribution(), dataDriven, auth, https, workspaces, attribution,
                    (ws, eventId) -> DestinationViews.deliveries(store.destinations().deliveries(ws, List.of(eventId)).get(eventId)),
                    reportSnapshots);
            PathRoutes.routes(cfg.routes, store.attribution(), new PathRuns(store.attribution(), store.workspaces(), dataDriven, clock),
                    dataDriven, auth, https, workspaces, attribution);
            TrafficRoutes.routes(cfg.routes, store.traffic(), auth, https, workspaces, clock);
            ReportDrillDownRoutes.routes(cfg.routes, store.attribution(), dataDriven, auth, https, workspaces);
            SavedViewRoutes.routes(cfg.routes, store.savedViews(), auth, https, workspaces, clock);
            DestinationRoutes.routes(cfg.routes, destinations, store.destinations(), workspaces, auth, https, delivery);
            AttributionAdminRoutes.routes(cfg.routes, store.attribution(), workspaces, auth, https);
            AdAccountRoutes.routes(cfg.routes, adAccounts, adSync, workspaces, auth, https);
            AdminRoutes.routes(cfg.routes, workspaces, auth, https, funnels::invalidate, firstParty, config.pixelServerCookie());
            SetAsideRoutes.routes(cfg.routes, store.setAside(), new SetAsideRetry(store.setAside(),
                    List.of(identityStage, store.stages().attribution(), delivery.stage())), workspaces, auth, https);
            SessionRoutes.routes(cfg.routes, auth, https, signIns, users);
            SsoRoutes.routes(cfg.routes, config.sso(), secrets, https,
                    new EmailSignIn(config.sso().adminEmails(), users, auth, https), clock);
            UserRoutes.routes(cfg.routes, users, auth, https, signIns, auth::forgetSessions);
            TestEventRoutes.routes(cfg.routes, edge, workspaces, auth, https);
            SettingsRoutes.routes(cfg.routes, workspaces, auth, https, () -> {
                auth.invalidate();
                funnels.invalidate();
            });
            OpsRoutes.routes(cfg.routes, this::ready, metrics, https, config.metricsToken());
            AuditRoutes.routes(cfg.routes, store.audit(), workspaces, auth, https);
            ExportRoutes.routes(cfg.routes, exportSchedules, exportRunner, workspaces, auth, https);
            ApiDocsRoutes.routes(cfg.routes);
            DashboardRoutes.routes(cfg.routes, this::signedIn, https);
        });
    }

    /** Starts the writer and the HTTP server; returns once it listens. */
    public static TouchpointServer start(ServerConfig config, Store store, AdminCredential admin, Clock clock) {
        if (config.kafka().enabled()) IngestTopic.ensure(config.kafka());
        TouchpointServer s = new TouchpointServer(config, store, admin, clock);
        s.writer.start();
        if (s.storeWriter != null) s.storeWriter.start();
        s.identity.start();
        s.attribution.start();
        s.delivery.start();
        s.logIndex.start();
        s.traffic.start();
        s.peopleSearchIndex.start();
        s.upkeep.start();
        s.exports.start();
        s.adSyncSchedule.start();
        try {
            s.app.start();
        } catch (RuntimeException e) {
            s.stopParts();
            s.closeJvmMetrics();
            throw e;
        }
        return s;
    }

    /** Every HTTP route as "METHOD /path", e.g. "POST /public-api/v1/events": for docs and their tests. */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    /** Delivery (stage and senders), for tests that wait for it. */
    public DeliveryEngine delivery() {
        return delivery;
    }

    public int port() {
        return app.port();
    }

    public String baseUrl() {
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return (config.tlsEnabled() ? "https" : "http") + "://" + host + ":" + port();
    }

    /** Whether a dashboard page request carries a live session (else it is sent to sign in). */
    private boolean signedIn(io.javalin.http.Context ctx) {
        try {
            auth.session(ctx);
            return true;
        } catch (ApiException e) {
            return false;
        }
    }

    /** Not while stopping, while the ingest writer is down, the store does not answer, or its disk is full. */
    boolean ready() {
        return !stopping && writer.healthy() && (storeWriter == null || storeWriter.healthy()) && !storage.full()
                && store.ping();
    }

    /**
     * Graceful stop: readiness turns false, Jetty stops taking connections and lets requests in flight
     * finish, the writer commits everything queued, then the store closes. Nothing acknowledged is lost,
     * and nothing queued is dropped.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        stopping = true;
        try {
            app.stop();
        } catch (RuntimeException e) {
            LOG.warn("HTTP server did not stop cleanly: {}", e.getMessage());
        }
        stopParts();
        reportSnapshots.close(); // the report indexes held, into their files, while the store is open
        store.close();
        closeJvmMetrics();
    }

    /**
     * Everything but the HTTP server and the store, shut in the order that loses nothing: ingest first, then each
     * stage after the one it follows; also what a start that failed undoes.
     */
    private void stopParts() {
        edge.close(); // its refusal summaries go through the writer
        storage.close();
        writer.close();
        if (storeWriter != null) storeWriter.close(); // what it has not stored waits in the topic for another node
        identity.close(); // resolves everything the writer committed
        attribution.close(); // then credits everything resolved
        delivery.close(); // then routes everything credited; unsent deliveries wait in the outbox
        logIndex.close(); // indexes the identifiers of everything logged
        traffic.close(); // counts the page views resolved
        peopleSearchIndex.close(); // indexes the links resolved
        dataDriven.close();
        upkeep.close();
        exports.close();
        adSyncSchedule.close();
        outbound.close(); // after everything that sends: delivery, exports and the ad syncs
    }

    private void closeJvmMetrics() {
        try {
            jvmMetrics.close(); // the GC listener
        } catch (Exception e) {
            LOG.debug("GC metrics did not stop cleanly: {}", e.getMessage());
        }
    }

    private static ApiException fromJavalin(HttpResponseException e) {
        int status = e.getStatus();
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            default -> "http_" + status;
        };
        return new ApiException(status, status >= 500 ? "api_error" : "invalid_request_error", code,
                e.getMessage(), null, null, null);
    }

    private static ServerConnector tlsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration base,
                                                ServerConfig config) {
        HttpConfiguration https = new HttpConfiguration(base);
        https.addCustomizer(new SecureRequestCustomizer(false)); // SNI host check off: certificates are local
        ServerConnector c = new ServerConnector(server, new SslConnectionFactory(Tls.contextFactory(config), "http/1.1"),
                new HttpConnectionFactory(https));
        c.setHost(config.bind());
        c.setPort(config.port());
        return c;
    }
}
