package io.touchpoint.server.pixel;

import io.touchpoint.core.model.Event;
import io.touchpoint.server.support.HttpTestClient;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first-party recipes (README, First-party serving; the setup page): the README shows exactly what the server
 * generates, and the nginx recipe, as the admin API gives it, runs in a real nginx in front of the real server (Debian's
 * nginx; without it this test skips on a developer machine and fails with CI=true). The Cloudflare Worker recipe runs
 * in Node.js 18 or newer (Debian's nodejs), with the same rule. The other recipes send the same
 * {@code X-Forwarded-*} headers, whose contract {@link VisitorCookieTest} checks.
 */
class FirstPartyRecipesTest extends ServerTest {
    static final Path NGINX = Path.of("/usr/sbin/nginx");
    static final String BEACON = "{\"type\":\"page_view\",\"token\":\"tpv.recipe0123456789abcdef\",\"ts\":\"n\","
            + "\"url\":\"https://www.example.com/\"}";
    static final String CHROME = PixelCollectTest.CHROME;

    /** Only nginx itself: the test talks to nginx from another loopback address, whose X-Forwarded-For must arrive. */
    @Override
    protected Map<String, String> settings() {
        return Map.of("proxies.trusted", "127.0.0.1/32");
    }

    @Test
    void theReadmeShowsTheRecipesTheServerGenerates() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Map<String, String> recipes = FirstPartyRecipes.of("https://track.example.com", "/t/");
        assertThat(recipes).containsOnlyKeys("nginx", "caddy", "cloudflare_worker", "nextjs");
        recipes.forEach((name, text) -> assertThat(readme).as("README has the " + name + " recipe").contains(text));
        assertThat(recipes.get("nginx")).contains("proxy_ssl_server_name on;");
        assertThat(FirstPartyRecipes.of("http://10.0.0.5:8080", "/edge/").get("nginx")).doesNotContain("proxy_ssl_server_name")
                .contains("location /edge/ {").contains("proxy_set_header Host 10.0.0.5:8080;");
    }

    @Test
    void theNginxRecipeServesTheScriptAndBeaconsWithTheVisitorsAddressAndTheSitesCookie(@TempDir Path dir) throws Exception {
        if (!Files.isExecutable(NGINX)) {
            String why = "nginx is not installed (" + NGINX + "); install with: apt-get install -y nginx";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true: " + why);
            Assumptions.abort(why);
        }
        Ws ws = newWorkspace();
        Map<String, Object> pixel = http.get("/admin/v1/workspaces/" + ws.id() + "/pixel", TestServer.ADMIN_TOKEN).json();
        String key = (String) pixel.get("pixel_key");
        Map<String, Object> firstParty = map(pixel.get("first_party"));
        String recipe = (String) map(firstParty.get("recipes")).get("nginx");
        assertThat(recipe).contains("proxy_pass " + server.baseUrl() + ";");

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String temp = dir.resolve("tmp").toString();
        Files.createDirectories(dir.resolve("tmp"));
        String conf = """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %2$s/body;
                    proxy_temp_path %2$s/proxy;
                    fastcgi_temp_path %2$s/fastcgi;
                    uwsgi_temp_path %2$s/uwsgi;
                    scgi_temp_path %2$s/scgi;
                    server {
                        listen 127.0.0.1:%3$d;
                        server_name www.example.com;
                        location / { return 200 "the site\\n"; }
                %4$s
                    }
                }
                """.formatted(dir, temp, port, recipe.indent(8));
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process nginx = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", confFile.toString(),
                "-e", dir.resolve("error.log").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile()).start();
        try {
            awaitListening(port, nginx, dir);
            // the site's own page, answered by nginx
            assertThat(request(port, "GET", "/", Map.of(), null).body()).isEqualTo("the site\n");
            // the script through the site's origin: it sends its beacons to the first-party path
            Raw script = request(port, "GET", (String) firstParty.get("script_path"), Map.of(), null);
            assertThat(script.status()).isEqualTo(200);
            assertThat(script.body()).contains("\"/t/e\"").contains("\"" + key + "\"");
            // a beacon: stored with the visitor's address (nginx's X-Forwarded-For), the cookie for the site's domain
            Raw beacon = request(port, "POST", "/t/e?key=" + key, Map.of("Origin", "http://www.example.com",
                    "Content-Type", "text/plain", "User-Agent", CHROME), BEACON);
            assertThat(beacon.status()).as(beacon.body()).isEqualTo(202);
            assertThat(beacon.headers().get("set-cookie")).isEqualTo("_tp_id=tpv.recipe0123456789abcdef; Max-Age="
                    + VisitorCookie.MAX_AGE.toSeconds() + "; Domain=example.com; Path=/; SameSite=Lax");
            String eventId = (String) HttpTestClient.parse(beacon.body()).get("event_id");
            Event e = server.store().events().find(ws.id(), eventId).orElseThrow();
            assertThat(e.context().ip()).as("the visitor's address, not nginx's").isEqualTo("127.0.0.2");
            HttpTestClient.Response log = http.get("/api/v1/events-log?workspace=" + ws.id(), TestServer.ADMIN_TOKEN);
            assertThat(log.body()).contains("\"endpoint\":\"/t/e\"");
        } finally {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) nginx.destroyForcibly();
        }
    }

    @Test
    void theCloudflareWorkerRecipeForwardsTheVisitorAndTheSite(@TempDir Path dir) throws Exception {
        String node = nodeBinary();
        if (node == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("Node.js 18 or newer is not installed, and CI must run the Worker recipe");
        }
        Assumptions.assumeTrue(node != null, "Node.js 18 or newer is not installed: the Worker recipe is not run");
        Ws ws = newWorkspace();
        Map<String, Object> pixel = http.get("/admin/v1/workspaces/" + ws.id() + "/pixel", TestServer.ADMIN_TOKEN).json();
        String key = (String) pixel.get("pixel_key");
        String worker = (String) map(map(pixel.get("first_party")).get("recipes")).get("cloudflare_worker");
        Files.writeString(dir.resolve("worker.mjs"), worker);
        Files.writeString(dir.resolve("run.mjs"), """
                import worker from './worker.mjs';
                // Node's fetch wants `duplex` with a stream body; a Worker's does not
                const fetch0 = globalThis.fetch;
                globalThis.fetch = (url, init) => fetch0(url, init && init.body ? { ...init, duplex: 'half' } : init);
                const visitor = { 'CF-Connecting-IP': '198.51.100.77', 'User-Agent': %s };
                const script = await worker.fetch(new Request('https://www.example.com/t/a.js?key=%s', { headers: visitor }));
                const beacon = await worker.fetch(new Request('https://www.example.com/t/e?key=%s', { method: 'POST',
                  headers: { ...visitor, 'Origin': 'https://www.example.com', 'Content-Type': 'text/plain' }, body: %s }));
                console.log(JSON.stringify({ script: script.status, js: (await script.text()).includes('"/t/e"'),
                  status: beacon.status, cookie: beacon.headers.get('set-cookie'), body: await beacon.text() }));
                """.formatted(quote(CHROME), key, key, quote(BEACON)));
        Process p = new ProcessBuilder(node, dir.resolve("run.mjs").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, Object> r = HttpTestClient.parse(out.lines().reduce((a, b) -> b).orElse(""));
        assertThat(r).as(out).containsEntry("script", 200).containsEntry("js", true).containsEntry("status", 202);
        assertThat((String) r.get("cookie")).isEqualTo("_tp_id=tpv.recipe0123456789abcdef; Max-Age="
                + VisitorCookie.MAX_AGE.toSeconds() + "; Domain=example.com; Path=/; SameSite=Lax; Secure");
        Event e = server.store().events().find(ws.id(), (String) HttpTestClient.parse((String) r.get("body")).get("event_id"))
                .orElseThrow();
        assertThat(e.context().ip()).isEqualTo("198.51.100.77");
    }

    /** {@code node} of version 18 or newer (global fetch and Request), or null. */
    private static String nodeBinary() {
        for (String candidate : List.of("/usr/bin/node", "/usr/local/bin/node")) {
            if (!Files.isExecutable(Path.of(candidate))) continue;
            try {
                Process p = new ProcessBuilder(candidate, "--version").redirectErrorStream(true).start();
                String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                p.waitFor(10, TimeUnit.SECONDS);
                if (v.matches("v\\d+\\..*") && Integer.parseInt(v.substring(1, v.indexOf('.'))) >= 18) return candidate;
            } catch (IOException | InterruptedException | NumberFormatException e) {
                // not usable
            }
        }
        return null;
    }

    private static String quote(String s) {
        return json(s);
    }

    record Raw(int status, Map<String, String> headers, String body) {
    }

    private static void awaitListening(int port, Process nginx, Path dir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!nginx.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("nginx did not start: " + Files.readString(dir.resolve("out.log"))
                            + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * One HTTP/1.1 request to nginx as a visitor of www.example.com makes it, from 127.0.0.2 (another loopback
     * address than nginx's own, so that the visitor's address is told apart from the proxy's).
     */
    private static Raw request(int port, String method, String path, Map<String, String> headers, String body) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress("127.0.0.2", 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(15_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: www.example.com\r\n"
                    + "Connection: close\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) req.append("Content-Length: ").append(content.length).append("\r\n");
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            byte[] all = s.getInputStream().readAllBytes();
            int split = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
            String[] head = new String(all, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                h.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
            }
            byte[] rest = java.util.Arrays.copyOfRange(all, split + 4, all.length);
            if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) rest = unchunk(rest);
            return new Raw(Integer.parseInt(head[0].split(" ")[1]), h, new String(rest, StandardCharsets.UTF_8));
        }
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        outer:
        for (int i = from; i <= data.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) if (data[i + j] != what[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static byte[] unchunk(byte[] s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] crlf = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
        int i = 0;
        while (i < s.length) {
            int eol = indexOf(s, crlf, i);
            int size = Integer.parseInt(new String(s, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0].strip(), 16);
            if (size == 0) break;
            out.write(s, eol + 2, size);
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
