package io.touchpoint.server.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A site and Touchpoint on one origin, as a site's own web server makes them: one small reverse proxy on loopback that
 * answers its pages itself and passes every request under {@code prefix} on to Touchpoint unchanged, adding what the
 * README's recipes add: {@code X-Forwarded-For} (the visitor's address, appended), {@code X-Forwarded-Host} (the host
 * the visitor asked for) and {@code X-Forwarded-Proto}. Touchpoint must list loopback in {@code proxies.trusted}.
 */
public final class SiteProxy implements AutoCloseable {
    /** Hop-by-hop headers and those the JDK client sets itself: never passed on. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection");
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final String upstream;
    private final String prefix;
    private final Function<String, String> pages;

    /**
     * @param upstream Touchpoint's base URL ({@code http://127.0.0.1:port})
     * @param prefix   the path prefix routed to it ({@code /t/})
     * @param pages    the site's page for a path (HTML), or null for 404
     */
    public SiteProxy(String upstream, String prefix, Function<String, String> pages) throws IOException {
        this.upstream = upstream;
        this.prefix = prefix;
        this.pages = pages;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith(prefix)) {
                forward(ex);
                return;
            }
            String page = pages.apply(path);
            byte[] body = (page == null ? "not found" : page).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", page == null ? "text/plain" : "text/html; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(page == null ? 404 : 200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    private void forward(HttpExchange ex) throws IOException {
        URI target = URI.create(upstream + ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
        byte[] in = ex.getRequestBody().readAllBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(target).method(ex.getRequestMethod(),
                in.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(in));
        String xff = null;
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(name) || name.startsWith("x-forwarded-")) {
                if (name.equals("x-forwarded-for")) xff = String.join(", ", h.getValue());
                continue;
            }
            for (String v : h.getValue()) b.header(h.getKey(), v);
        }
        String visitor = ex.getRemoteAddress().getAddress().getHostAddress();
        b.header("X-Forwarded-For", xff == null ? visitor : xff + ", " + visitor); // $proxy_add_x_forwarded_for
        b.header("X-Forwarded-Host", ex.getRequestHeaders().getFirst("Host")); // $host
        b.header("X-Forwarded-Proto", "http"); // $scheme
        HttpResponse<byte[]> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        r.headers().map().forEach((name, values) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals(":status") || NOT_FORWARDED.contains(n)) return;
            for (String v : values) ex.getResponseHeaders().add(name, v);
        });
        byte[] out = r.body();
        boolean empty = r.statusCode() == 204 || r.statusCode() == 304 || ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(r.statusCode(), empty ? -1 : out.length);
        if (!empty) ex.getResponseBody().write(out);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
