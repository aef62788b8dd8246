package io.touchpoint.server.config;

import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.RequestTelemetry;
import io.touchpoint.server.telemetry.Logging;
import io.touchpoint.server.adaccounts.AdSyncSettings;
import io.touchpoint.server.kafka.KafkaSettings;
import io.touchpoint.server.sso.SsoSettings;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves settings. Precedence, highest first: command-line flags, environment variables
 * ({@code TOUCHPOINT_} + the key upper-cased with dots and dashes as underscores, e.g.
 * {@code TOUCHPOINT_TLS_KEYSTORE_PASSWORD}), the config file (Java properties: {@code --config FILE},
 * else {@code TOUCHPOINT_CONFIG}, else {@code ./touchpoint.properties} when present), then defaults.
 */
public final class ConfigLoader {
    public static final String DEFAULT_FILE = "touchpoint.properties";
    /** The value that turns off a setting naming a folder ({@code reports.snapshot-dir}). */
    public static final String OFF = "off";
    /** Every key and its default; null means unset. docs/CONFIGURATION.md describes each. */
    public static final Map<String, String> DEFAULTS = defaults();

    private final Map<String, String> values = new LinkedHashMap<>();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bind", "127.0.0.1");
        d.put("port", "8080");
        d.put("data", "data");
        d.put("db", null);
        d.put("db.user", null);
        d.put("db.password", null);
        d.put("storage.sync", "full");
        d.put("https.required", "auto");
        d.put("https.allow-loopback-http", "true");
        d.put("proxies.trusted", "");
        d.put("proxies.headers", "x-forwarded");
        d.put("tls.certificate", null);
        d.put("tls.private-key", null);
        d.put("tls.keystore", null);
        d.put("tls.keystore-password", null);
        d.put("ingest.queue-capacity", "50000");
        d.put("ingest.max-batch", "2000");
        d.put("identity.cache-links", null); // the store's
        d.put("identity.quiet-batch", null); // the store's
        d.put("secrets.key", null);
        d.put("secrets.key-file", null); // data/secrets.key
        d.put("secrets.previous-keys", "");
        d.put("delivery.max-attempts", "12");
        d.put("delivery.max-age-hours", "24");
        d.put("delivery.retention-days", "90");
        d.put("delivery.timeout-seconds", "30");
        d.put("metrics.token", null);
        d.put("log.format", "logfmt");
        d.put("log.requests", "failed");
        d.put("pixel.path-prefix", "/t/");
        d.put("pixel.script-name", "a.js");
        d.put("pixel.collect-name", "e");
        d.put("pixel.server-cookie", "true");
        d.put("sso.issuer", null); // single sign-on off
        d.put("sso.client-id", null);
        d.put("sso.client-secret", null);
        d.put("sso.redirect-uri", null); // derived from each request
        d.put("sso.button-label", null); // the issuer's host name
        d.put("sso.admin-emails", "");
        d.put("sso.require-email-verified", "true");
        d.put("audit.retention-days", "400");
        d.put("consent.country-header", null);
        d.put("consent.subdivision-header", null);
        d.put("exports.root", null); // <data>/exports
        d.put("reports.snapshot-dir", null); // <data>/report-index
        d.put("ad-sync.days", "7");
        d.put("ad-sync.interval-hours", "24");
        d.put("ad-sync.retries", "4");
        d.put("ad-sync.backoff-ms", "2000");
        d.put("ad-sync.meta-url", "https://graph.facebook.com");
        d.put("ad-sync.meta-version", "v24.0");
        d.put("ad-sync.google-url", "https://googleads.googleapis.com");
        d.put("ad-sync.google-version", "v22");
        d.put("ad-sync.google-token-url", "https://oauth2.googleapis.com/token");
        d.put("ad-sync.tiktok-url", "https://business-api.tiktok.com");
        d.put("currency.rates-url", null); // no conversion: accounts in another currency are refused
        d.put("ingest.log", "store");
        d.put("kafka.bootstrap-servers", null);
        d.put("kafka.topic", KafkaSettings.OFF.topic());
        d.put("kafka.partitions", Integer.toString(KafkaSettings.OFF.partitions()));
        d.put("kafka.replication-factor", Short.toString(KafkaSettings.OFF.replicationFactor()));
        d.put("kafka.group", KafkaSettings.OFF.group());
        d.put("kafka.ack-timeout-ms", Integer.toString(KafkaSettings.OFF.ackTimeoutMs()));
        return d;
    }

    /**
     * @param configFile an explicit config file, or null
     * @param env        the process environment
     * @param flags      values given on the command line, by key (null values are ignored)
     */
    public ConfigLoader(Path configFile, Map<String, String> env, Map<String, String> flags) {
        DEFAULTS.forEach((k, v) -> {
            if (v != null) values.put(k, v);
        });
        Path file = configFile != null ? configFile
                : env.get("TOUCHPOINT_CONFIG") != null ? Path.of(env.get("TOUCHPOINT_CONFIG"))
                : Files.exists(Path.of(DEFAULT_FILE)) ? Path.of(DEFAULT_FILE) : null;
        if (file != null) readFile(file);
        for (String key : DEFAULTS.keySet()) {
            String v = env.get(envName(key));
            if (v != null && !v.isBlank()) values.put(key, v.strip());
        }
        flags.forEach((k, v) -> {
            if (v != null) values.put(k, v);
        });
    }

    public static String envName(String key) {
        return "TOUCHPOINT_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private void readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        for (String key : p.stringPropertyNames()) {
            if (!DEFAULTS.containsKey(key)) {
                throw new ConfigException("unknown setting '" + key + "' in " + file + "; known: "
                        + String.join(", ", DEFAULTS.keySet()));
            }
            values.put(key, p.getProperty(key).strip());
        }
    }

    public String get(String key) {
        return values.get(key);
    }

    public ServerConfig load() {
        if (values.get("pixel.script-name").strip().equals(values.get("pixel.collect-name").strip())) {
            throw new ConfigException("pixel.script-name and pixel.collect-name must differ");
        }
        return new ServerConfig(
                values.get("bind"),
                intValue("port", 0, 65535),
                Path.of(values.get("data")),
                database(),
                blankToNull(values.get("db.user")),
                blankToNull(values.get("db.password")),
                choice("storage.sync", "full", "normal").equals("full"),
                ServerConfig.HttpsRequired.valueOf(choice("https.required", "auto", "true", "false").toUpperCase(Locale.ROOT)),
                Boolean.parseBoolean(choice("https.allow-loopback-http", "true", "false")),
                trustedProxies(),
                ServerConfig.ProxyHeaders.valueOf(choice("proxies.headers", "x-forwarded", "forwarded")
                        .toUpperCase(Locale.ROOT).replace('-', '_')),
                path("tls.certificate"),
                path("tls.private-key"),
                path("tls.keystore"),
                values.get("tls.keystore-password"),
                intValue("ingest.queue-capacity", 1, 10_000_000),
                intValue("ingest.max-batch", 1, 100_000),
                blankToNull(values.get("identity.cache-links")) == null ? -1 : intValue("identity.cache-links", 0, MAX_CACHE_LINKS),
                blankToNull(values.get("identity.quiet-batch")) == null ? 0 : intValue("identity.quiet-batch", 1, MAX_QUIET_BATCH),
                blankToNull(values.get("secrets.key")),
                path("secrets.key-file"),
                list("secrets.previous-keys"),
                intValue("delivery.max-attempts", 1, 100),
                intValue("delivery.max-age-hours", 1, 24 * 30),
                intValue("delivery.timeout-seconds", 1, 300),
                intValue("delivery.retention-days", 1, 36_500),
                metricsToken(),
                Logging.Format.valueOf(choice("log.format", "logfmt", "json").toUpperCase(Locale.ROOT)),
                RequestTelemetry.LogRequests.valueOf(choice("log.requests", "failed", "all", "none").toUpperCase(Locale.ROOT)),
                pathPrefix(),
                pathName("pixel.script-name"),
                pathName("pixel.collect-name"),
                Boolean.parseBoolean(choice("pixel.server-cookie", "true", "false")),
                sso(),
                intValue("audit.retention-days", 1, 36_500),
                headerName("consent.country-header"),
                headerName("consent.subdivision-header"),
                path("exports.root"),
                path("reports.snapshot-dir"),
                adSync(),
                kafka());
    }

    /** Ad account syncs: how far back, how often, how patiently, and where each platform and the rates are. */
    private AdSyncSettings adSync() {
        String[] versions = {"ad-sync.meta-version", "ad-sync.google-version"};
        for (String key : versions) {
            if (!values.get(key).strip().matches("v\\d+(\\.\\d+)?")) {
                throw new ConfigException(key + " must be an API version such as v24.0 or v22, got '" + values.get(key) + "'");
            }
        }
        return new AdSyncSettings(intValue("ad-sync.days", 1, AdSyncSettings.MAX_DAYS),
                intValue("ad-sync.interval-hours", 0, 24 * 7), intValue("ad-sync.retries", 0, 10),
                java.time.Duration.ofMillis(intValue("ad-sync.backoff-ms", 1, 600_000)), url("ad-sync.meta-url", true),
                values.get("ad-sync.meta-version").strip(), url("ad-sync.google-url", true),
                values.get("ad-sync.google-version").strip(), url("ad-sync.google-token-url", true),
                url("ad-sync.tiktok-url", true), url("currency.rates-url", true));
    }

    /**
     * Kafka mode: the store is PostgreSQL, which every node and every stage share; the brokers are named. Off, the Kafka
     * settings are still checked, so a typo does not wait for the day the mode is switched on.
     */
    private KafkaSettings kafka() {
        boolean on = choice("ingest.log", "store", "kafka").equals("kafka");
        String servers = blankToNull(values.get("kafka.bootstrap-servers"));
        String topic = values.get("kafka.topic").strip();
        if (!topic.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new ConfigException("kafka.topic: '" + topic + "' is not a Kafka topic name (letters, digits, '.', '_', '-')");
        }
        String group = values.get("kafka.group").strip();
        if (group.isEmpty()) throw new ConfigException("kafka.group must not be empty");
        KafkaSettings k = new KafkaSettings(on, servers, topic, intValue("kafka.partitions", 1, 10_000),
                (short) intValue("kafka.replication-factor", 1, 32), group, intValue("kafka.ack-timeout-ms", 100, 600_000));
        if (on && servers == null) throw new ConfigException("kafka.bootstrap-servers is required when ingest.log is kafka");
        if (on && database() == null) {
            throw new ConfigException("ingest.log=kafka needs PostgreSQL as the store (db): every node and stage shares it");
        }
        return k;
    }

    /** Single sign-on: off without an issuer; with one, a client id and addresses a browser can be sent to. */
    private SsoSettings sso() {
        URI issuer = url("sso.issuer", true);
        String clientId = blankToNull(values.get("sso.client-id"));
        if (issuer == null) {
            if (clientId != null || blankToNull(values.get("sso.client-secret")) != null) {
                throw new ConfigException("sso.issuer is required when sso.client-id or sso.client-secret is set");
            }
            return SsoSettings.OFF;
        }
        if (clientId == null) throw new ConfigException("sso.client-id is required when sso.issuer is set");
        List<String> emails = list("sso.admin-emails").stream().map(e -> e.toLowerCase(Locale.ROOT)).toList();
        for (String e : emails) {
            if (!e.matches("[^@\\s]+@[^@\\s]+")) throw new ConfigException("sso.admin-emails: '" + e + "' is not an e-mail address");
        }
        String label = blankToNull(values.get("sso.button-label"));
        if (label != null && label.length() > 60) throw new ConfigException("sso.button-label must be at most 60 characters");
        return new SsoSettings(issuer, clientId, blankToNull(values.get("sso.client-secret")), url("sso.redirect-uri", false),
                label == null ? issuer.getHost() : label, new java.util.HashSet<>(emails),
                Boolean.parseBoolean(choice("sso.require-email-verified", "true", "false")));
    }

    /**
     * An absolute http(s) URL without query or fragment; plain HTTP only to this machine when {@code httpsOffLoopback}
     * is false, since the provider's answers are trusted as they arrive.
     */
    private URI url(String key, boolean httpsOffLoopback) {
        String v = blankToNull(values.get(key));
        if (v == null) return null;
        try {
            URI u = new URI(v);
            boolean http = "http".equals(u.getScheme());
            if (!u.isAbsolute() || !(http || "https".equals(u.getScheme())) || u.getHost() == null
                    || u.getRawQuery() != null || u.getRawFragment() != null) {
                throw new URISyntaxException(v, "not an absolute http(s) URL without query or fragment");
            }
            if (httpsOffLoopback && http && !ServerConfig.isLoopback(u.getHost())) {
                throw new URISyntaxException(v, "plain http is allowed only for a provider on this machine");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ConfigException(key + " must be an absolute https URL without query or fragment, got '" + v
                    + "' (" + e.getReason() + ")");
        }
    }

    /** An HTTP header's name (a token: letters, digits and {@code !#$%&'*+-.^_`|~}), or null when not set. */
    private String headerName(String key) {
        String v = blankToNull(values.get(key));
        if (v == null) return null;
        if (!v.strip().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}")) {
            throw new ConfigException(key + " must be an HTTP header's name such as CF-IPCountry, got '" + v + "'");
        }
        return v.strip();
    }

    /** First segments of the server's own paths, which a first-party prefix must not shadow. */
    static final List<String> RESERVED_SEGMENTS = List.of("api", "admin", "public-api", "pixel", "collect", "dashboard",
            "docs", "sign-in", "healthz", "readyz", "metrics", "openapi.json", "uip-events", "webhooks", "noop");

    /** {@code /t/}: one or more path segments, between slashes, that none of the server's own paths starts with. */
    private String pathPrefix() {
        String v = values.get("pixel.path-prefix").strip();
        if (!v.matches("(/[A-Za-z0-9._~-]+)+/") || RESERVED_SEGMENTS.contains(v.split("/")[1])
                || List.of(v.split("/")).stream().anyMatch(x -> x.equals(".") || x.equals(".."))) {
            throw new ConfigException("pixel.path-prefix must be a path such as /t/ or /assets/x/ (segments of letters,"
                    + " digits, '.', '_', '~' or '-', starting and ending with '/') that does not start with one of the"
                    + " server's own paths (" + String.join(", ", RESERVED_SEGMENTS) + "), got '" + v + "'");
        }
        return v;
    }

    /** A name within the prefix: one path segment. */
    private String pathName(String key) {
        String v = values.get(key).strip();
        if (!v.matches("[A-Za-z0-9._~-]{1,64}") || v.equals(".") || v.equals("..")) {
            throw new ConfigException(key + " must be one path segment of letters, digits, '.', '_', '~' or '-',"
                    + " got '" + v + "'");
        }
        return v;
    }

    /** Addresses or CIDR ranges, each checked here so that a typo stops the start with its name. */
    private List<String> trustedProxies() {
        List<String> l = list("proxies.trusted");
        for (String p : l) {
            try {
                HttpsPolicy.checkRange(p);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("proxies.trusted: " + e.getMessage());
            }
        }
        return l;
    }

    /** Sent by the scraper as a bearer token, so it must be one header word long enough not to be guessed. */
    private String metricsToken() {
        String t = blankToNull(values.get("metrics.token"));
        if (t != null && (t.length() < 16 || t.length() > 200 || !t.matches("[\\x21-\\x7e]+"))) {
            throw new ConfigException("metrics.token must be 16 to 200 visible ASCII characters without spaces,"
                    + " e.g. the output of `openssl rand -hex 32`");
        }
        return t;
    }

    /** A batch holds the graph it touched in memory until it commits, so even a large heap is not offered more. */
    static final int MAX_QUIET_BATCH = 1_000_000;
    /** Far beyond any heap's worth of links (each takes some hundred bytes), so only a typing error is refused. */
    static final int MAX_CACHE_LINKS = 100_000_000;

    private String database() {
        String url = blankToNull(values.get("db"));
        if (url != null && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("db must be a PostgreSQL JDBC URL such as jdbc:postgresql://host:5432/touchpoint"
                    + " (leave it unset for the embedded SQLite store)");
        }
        return url;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private int intValue(String key, int min, int max) {
        String v = values.get(key);
        try {
            int i = Integer.parseInt(v.strip());
            if (i < min || i > max) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
        }
    }

    private String choice(String key, String... allowed) {
        String v = values.get(key).strip().toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(v)) {
            throw new ConfigException(key + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
        }
        return v;
    }

    private Path path(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    private List<String> list(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) return List.of();
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
