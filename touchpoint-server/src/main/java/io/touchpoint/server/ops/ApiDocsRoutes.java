package io.touchpoint.server.ops;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.server.http.ApiException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The API reference in the browser: {@code GET /docs/api} renders /openapi.json with Swagger UI, whose files come
 * from its WebJar on the class path (org.webjars:swagger-ui), so the page needs nothing from the internet. The page
 * holds no secret and no data, so it is served like /openapi.json, over HTTP too; "Try it out" sends requests to
 * this server, where the API's own rules (HTTPS, tokens) apply.
 */
public final class ApiDocsRoutes {
    public static final String PAGE = "/docs/api";
    public static final String ASSETS = "/docs/api/assets/{version}/{file}";
    static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/";
    static final String OWN = "/io/touchpoint/server/docs/";
    /**
     * Only this server's files: Swagger UI sets styles on its elements, hence 'unsafe-inline' for styles (never
     * for scripts), and shows its images as data: URLs.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private ApiDocsRoutes() {
    }

    public static void routes(RoutesConfig routes) {
        String version = swaggerUiVersion();
        Map<String, byte[]> files = Map.of(
                "swagger-ui-bundle.js", resource(WEBJAR + version + "/swagger-ui-bundle.js"),
                "swagger-ui.css", resource(WEBJAR + version + "/swagger-ui.css"),
                "favicon-32x32.png", resource(WEBJAR + version + "/favicon-32x32.png"),
                "api-docs.js", resource(OWN + "api-docs.js"),
                "api-docs.css", resource(OWN + "api-docs.css"));
        // the WebJar's version names the files' address, so a new Swagger UI (or page script) is fetched at once
        String tag = version + "-" + io.touchpoint.core.auth.Secrets.sha256Hex(
                new String(files.get("api-docs.js"), java.nio.charset.StandardCharsets.UTF_8)
                        + new String(files.get("api-docs.css"), java.nio.charset.StandardCharsets.UTF_8)).substring(0, 8);
        String base = ASSETS.replace("{version}", tag).replace("{file}", "");
        String page = """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>API reference · Touchpoint</title>
                <link rel="icon" type="image/png" href="%1$sfavicon-32x32.png">
                <link rel="stylesheet" href="%1$sswagger-ui.css">
                <link rel="stylesheet" href="%1$sapi-docs.css">
                </head>
                <body>
                <div class="intro"><h1>Touchpoint API reference</h1>
                <p>Rendered from <a href="/openapi.json">/openapi.json</a>; error codes: <a href="/docs/errors">/docs/errors</a>.</p></div>
                <div id="swagger-ui"></div>
                <noscript><p>This page needs JavaScript; the description itself is <a href="/openapi.json">/openapi.json</a>.</p></noscript>
                <script src="%1$sswagger-ui-bundle.js"></script>
                <script src="%1$sapi-docs.js"></script>
                </body>
                </html>
                """.formatted(base);
        routes.get(PAGE, ctx -> {
            security(ctx);
            ctx.header("Cache-Control", "no-cache");
            ctx.contentType("text/html; charset=utf-8").result(page);
        });
        routes.get(ASSETS, ctx -> {
            byte[] b = files.get(ctx.pathParam("file"));
            if (b == null || !ctx.pathParam("version").equals(tag)) throw ApiException.notFound("no file " + ctx.path());
            security(ctx);
            ctx.header("Cache-Control", "public, max-age=31536000, immutable");
            ctx.contentType(contentType(ctx.pathParam("file"))).result(b);
        });
    }

    /** Whether a route ("GET /path") is the reference's page or one of its files: HTML for people, not API. */
    public static boolean serves(String route) {
        return route.equals("GET " + PAGE) || route.equals("GET " + ASSETS);
    }

    private static void security(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
    }

    private static String contentType(String file) {
        if (file.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (file.endsWith(".css")) return "text/css; charset=utf-8";
        if (file.endsWith(".png")) return "image/png";
        return "application/octet-stream";
    }

    /** The Swagger UI WebJar's version, from the Maven metadata inside the jar. */
    static String swaggerUiVersion() {
        Properties p = new Properties();
        try (InputStream in = ApiDocsRoutes.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) throw new IllegalStateException("the Swagger UI WebJar is not on the class path");
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static byte[] resource(String path) {
        try (InputStream in = ApiDocsRoutes.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
