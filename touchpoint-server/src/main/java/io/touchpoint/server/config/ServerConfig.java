package io.touchpoint.server.config;

import io.touchpoint.server.adaccounts.AdSyncSettings;
import io.touchpoint.server.http.RequestTelemetry;
import io.touchpoint.server.kafka.KafkaSettings;
import io.touchpoint.server.sso.SsoSettings;
import io.touchpoint.server.telemetry.Logging;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the server needs to start, resolved from defaults, the config file, environment variables
 * and flags (in rising precedence; see {@link ConfigLoader}).
 */
public record ServerConfig(
        String bind,
        int port,
        Path dataDir,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        boolean durableCommits,
        HttpsRequired httpsRequired,
        boolean allowLoopbackHttp,
        List<String> trustedProxies,
        ProxyHeaders proxyHeaders,
        Path tlsCertificate,
        Path tlsPrivateKey,
        Path tlsKeystore,
        String tlsKeystorePassword,
        int queueCapacity,
        int maxBatch,
        int identityCacheLinks,
        int identityQuietBatch,
        String secretKey,
        Path secretKeyFile,
        List<String> previousSecretKeys,
        int deliveryMaxAttempts,
        int deliveryMaxAgeHours,
        int deliveryTimeoutSeconds,
        int deliveryRetentionDays,
        String metricsToken,
        Logging.Format logFormat,
        RequestTelemetry.LogRequests logRequests,
        String pixelPathPrefix,
        String pixelScriptName,
        String pixelCollectName,
        boolean pixelServerCookie,
        SsoSettings sso,
        int auditRetentionDays,
        String consentCountryHeader,
        String consentSubdivisionHeader,
        Path exportsRoot,
        Path reportSnapshotDir,
        AdSyncSettings adSync,
        KafkaSettings kafka) {

    public enum HttpsRequired { AUTO, TRUE, FALSE }

    /** The forwarding headers the trusted proxies write: {@code X-Forwarded-*}, or RFC 7239's {@code Forwarded}. */
    public enum ProxyHeaders { X_FORWARDED, FORWARDED }

    /** Never the keys or passwords: a configuration may end up in a log. */
    @Override
    public String toString() {
        return "ServerConfig[bind=" + bind + ", port=" + port + ", data=" + dataDir + ", postgres=" + usesPostgres()
                + ", tls=" + tlsEnabled() + "]";
    }

    /** The identity processor's batch while ingest is quiet, or {@code defaultBatch} (the store's) when not set. */
    public int identityQuietBatchOr(int defaultBatch) {
        return identityQuietBatch > 0 ? identityQuietBatch : defaultBatch;
    }

    /** The one folder scheduled exports write under ({@code exports.root}): {@code <data>/exports} unless configured. */
    public Path exportsRootEffective() {
        return exportsRoot != null ? exportsRoot : dataDir.resolve("exports");
    }

    /**
     * The folder the report engine keeps each workspace's index in ({@code reports.snapshot-dir}):
     * {@code <data>/report-index} unless configured; null when set to {@code off}.
     */
    public Path reportSnapshotDirEffective() {
        if (reportSnapshotDir == null) return dataDir.resolve("report-index");
        return reportSnapshotDir.toString().equals(ConfigLoader.OFF) ? null : reportSnapshotDir;
    }

    /** True when a PostgreSQL URL is configured; otherwise the embedded SQLite store in {@link #dataDir}. */
    public boolean usesPostgres() {
        return databaseUrl != null;
    }

    public boolean tlsEnabled() {
        return tlsKeystore != null || tlsCertificate != null;
    }

    /** AUTO means: required unless the server only listens on a loopback address. */
    public boolean httpsRequiredEffective() {
        return switch (httpsRequired) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> !isLoopback(bind);
        };
    }

    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }
}
