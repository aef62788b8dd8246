package io.touchpoint.server.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.touchpoint.core.auth.Secrets;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.HttpsPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The dashboard: a few HTML shells and their static ES modules, served by the same program. The pages
 * hold no data; their scripts read everything through the JSON APIs with the session cookie. Assets live under a
 * path named after a hash of their contents, so they can be cached for good and a new build is fetched at once.
 * Chart.js comes from its WebJar on the class path, never copied into this repository.
 */
public final class DashboardRoutes {
    public static final String SIGN_IN = "/sign-in";
    /** Where an invitation or reset link leads: the link's token is its last path segment. */
    public static final String INVITE = "/invite/{token}";
    public static final String ASSETS = "/dashboard/assets/{version}/{file}";
    public static final String CHART_JS = "/dashboard/vendor/chart.js/{version}/chart.umd.min.js";
    static final String RESOURCES = "/io/touchpoint/server/dashboard/";
    static final List<String> ASSET_FILES = List.of("app.css", "app.js", "api.js", "ui.js", "sign-in.js", "setup.js",
            "events.js", "reports.js", "journeys.js", "destinations.js", "deliveries.js", "ad-accounts.js", "audit.js", "users.js",
            "invite.js", "icon.svg", "report-parts.js", "paths.js", "people.js", "exports.js", "period.js", "drilldown.js", "views.js",
            "report-columns.js", "traffic.js");
    /** No inline script or style, nothing from elsewhere, never framed. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /** A Host header that is only a host name or address and a port: nothing that could lead a redirect elsewhere. */
    private static final Pattern HOST = Pattern.compile(
            "[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");

    static final String HTTPS_REQUIRED_PAGE = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>HTTPS required · Touchpoint</title></head>
            <body>
            <h1>HTTPS required</h1>
            <p>This Touchpoint server answers only over HTTPS here, and this page was asked for over plain HTTP.
            Signing in sends a password or the administrator token, so the dashboard is not served where they could be read
            on its way.</p>
            <p>Open the dashboard at its <code>https://</code> address: give Touchpoint a certificate
            (<code>tls.certificate</code> and <code>tls.private-key</code>) or put it behind a reverse proxy that
            terminates TLS (<code>proxies.trusted</code>). Unless <code>https.allow-loopback-http</code> is off, the
            server's own machine may also open it over <code>http://127.0.0.1</code>.</p>
            </body>
            </html>
            """;

    /** A page: its path, its title, and whether it draws charts. app.js renders it with the module of its name. */
    record Page(String path, String title, boolean charts) {
        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    static final List<Page> PAGES = List.of(
            new Page("/dashboard/setup", "Setup", false),
            new Page("/dashboard/events", "Events log", false),
            new Page("/dashboard/reports", "Attribution", true),
            new Page("/dashboard/paths", "Conversion paths", false),
            new Page("/dashboard/traffic", "Traffic", true),
            new Page("/dashboard/people", "People", false),
            new Page("/dashboard/journeys", "Journeys", false),
            new Page("/dashboard/destinations", "Destinations", false),
            new Page("/dashboard/ad-accounts", "Ad accounts", false),
            new Page("/dashboard/exports", "Exports", false),
            new Page("/dashboard/audit", "Audit log", false),
            new Page("/dashboard/users", "Users", false));

    private DashboardRoutes() {
    }

    /** Whether a route ("GET /path") is one of the dashboard's pages or assets: HTML for people, not API. */
    public static boolean serves(String route) {
        return route.equals("GET /") || route.equals("GET " + SIGN_IN) || route.equals("GET " + INVITE)
                || route.startsWith("GET /dashboard");
    }

    /**
     * @param signedIn whether a request carries a live dashboard session
     * @param https    the API's HTTPS policy: pages are served only where the API would answer, since signing in
     *                 sends the administrator token from them
     */
    public static void routes(RoutesConfig routes, Predicate<Context> signedIn, HttpsPolicy https) {
        Map<String, byte[]> assets = new HashMap<>();
        StringBuilder all = new StringBuilder();
        for (String f : ASSET_FILES) {
            byte[] b = resource(RESOURCES + f);
            assets.put(f, b);
            all.append(f).append(Secrets.sha256Hex(new String(b, StandardCharsets.UTF_8)));
        }
        String version = Secrets.sha256Hex(all.toString()).substring(0, 12);
        String chartVersion = chartJsVersion();
        byte[] chart = resource("/META-INF/resources/webjars/chart.js/" + chartVersion + "/dist/chart.umd.min.js");
        String assetBase = "/dashboard/assets/" + version + "/";
        String chartUrl = CHART_JS.replace("{version}", chartVersion);

        routes.get("/", ctx -> {
            if (!overHttps(ctx, https)) return;
            noStore(ctx);
            ctx.redirect(signedIn.test(ctx) ? PAGES.get(0).path() : SIGN_IN);
        });
        routes.get("/dashboard", ctx -> {
            if (!overHttps(ctx, https)) return;
            noStore(ctx);
            ctx.redirect(signedIn.test(ctx) ? PAGES.get(0).path() : SIGN_IN);
        });
        routes.get(SIGN_IN, ctx -> {
            if (!overHttps(ctx, https)) return;
            if (signedIn.test(ctx)) {
                noStore(ctx);
                ctx.redirect(PAGES.get(0).path());
                return;
            }
            html(ctx, shell("Sign in", "sign-in", assetBase, null));
        });
        // needs no session: the link is the credential, and the page sends it only to POST /admin/v1/invites/{token}
        routes.get(INVITE, ctx -> {
            if (!overHttps(ctx, https)) return;
            html(ctx, shell("Choose a password", "invite", assetBase, null));
        });
        for (Page p : PAGES) {
            routes.get(p.path(), ctx -> {
                if (!overHttps(ctx, https)) return;
                if (!signedIn.test(ctx)) {
                    noStore(ctx);
                    String back = ctx.queryString() == null ? ctx.path() : ctx.path() + "?" + ctx.queryString();
                    ctx.redirect(SIGN_IN + "?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
                    return;
                }
                html(ctx, shell(p.title(), p.name(), assetBase, p.charts() ? chartUrl : null));
            });
        }
        routes.get(ASSETS, ctx -> {
            if (!overHttps(ctx, https)) return;
            byte[] b = assets.get(ctx.pathParam("file"));
            if (b == null || !ctx.pathParam("version").equals(version)) {
                throw ApiException.notFound("no dashboard asset " + ctx.path());
            }
            immutable(ctx, contentType(ctx.pathParam("file")), b);
        });
        routes.get(CHART_JS, ctx -> {
            if (!overHttps(ctx, https)) return;
            if (!ctx.pathParam("version").equals(chartVersion)) throw ApiException.notFound("no Chart.js " + ctx.path());
            immutable(ctx, "text/javascript; charset=utf-8", chart);
        });
    }

    /**
     * Whether the request may be served under the HTTPS policy. When not, it has been answered: behind a trusted
     * proxy (which speaks HTTPS to the world) with a redirect to the same address over HTTPS; otherwise, where
     * there is no HTTPS address to send it to, with a page that says why and what to do.
     */
    static boolean overHttps(Context ctx, HttpsPolicy https) {
        try {
            https.check(ctx);
            return true;
        } catch (ApiException e) {
            noStore(ctx);
            String host = ctx.header("Host");
            if (https.forwardedByTrustedProxy(ctx) && host != null && HOST.matcher(host).matches()) {
                String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
                ctx.redirect("https://" + host + ctx.path() + query, HttpStatus.PERMANENT_REDIRECT);
            } else {
                security(ctx);
                ctx.status(403).contentType("text/html; charset=utf-8").result(HTTPS_REQUIRED_PAGE);
            }
            return false;
        }
    }

    /** The page: a header the scripts fill, a main region, and the modules; no data and no inline code. */
    static String shell(String title, String page, String assetBase, String chartUrl) {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · Touchpoint</title>
                <link rel="icon" href="%sicon.svg" type="image/svg+xml">
                <link rel="stylesheet" href="%sapp.css">
                %s<script type="module" src="%sapp.js"></script>
                </head>
                <body data-page="%s">
                <a class="skip" href="#main">Skip to content</a>
                <header id="top" class="top"></header>
                <main id="main" tabindex="-1"><p class="loading" role="status">Loading…</p></main>
                <noscript><p class="panel">The Touchpoint dashboard needs JavaScript.</p></noscript>
                </body>
                </html>
                """.formatted(title, assetBase, assetBase,
                chartUrl == null ? "" : "<script defer src=\"" + chartUrl + "\"></script>\n", assetBase, page);
    }

    private static void html(Context ctx, String body) {
        security(ctx);
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/html; charset=utf-8").result(body);
    }

    private static void immutable(Context ctx, String type, byte[] body) {
        security(ctx);
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.contentType(type).result(body);
    }

    private static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
    }

    private static void security(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
    }

    static String contentType(String file) {
        if (file.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (file.endsWith(".css")) return "text/css; charset=utf-8";
        if (file.endsWith(".svg")) return "image/svg+xml";
        return "application/octet-stream";
    }

    /** The Chart.js WebJar's version, from the Maven metadata inside the jar. */
    static String chartJsVersion() {
        Properties p = new Properties();
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
            if (in == null) throw new IllegalStateException("the Chart.js WebJar is not on the class path");
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static byte[] resource(String path) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing dashboard resource " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
