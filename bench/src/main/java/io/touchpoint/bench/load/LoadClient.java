package io.touchpoint.bench.load;

import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An asynchronous HTTP/1.1 client with keep-alive connections: Jetty's (the default) or the JDK's, so the
 * client's own ceiling can be checked against the other.
 */
public interface LoadClient extends AutoCloseable {
    /** The status and body of one answer. */
    record Reply(int status, String body) {
    }

    /** @param body null for a request without a body; otherwise sent as application/json */
    CompletableFuture<Reply> send(String method, String path, String token, byte[] body);

    String name();

    @Override
    void close();

    static LoadClient create(String kind, String baseUrl, int maxConnections) {
        return switch (kind) {
            case "jetty" -> new Jetty(baseUrl, maxConnections);
            case "jdk" -> new Jdk(baseUrl);
            default -> throw new IllegalArgumentException("--client must be jetty or jdk, got '" + kind + "'");
        };
    }

    Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    int MAX_REPLY_BYTES = 16 * 1024 * 1024;

    /** Jetty 12's HttpClient: one selector, a small named thread pool, a connection per request in flight. */
    final class Jetty implements LoadClient {
        private static final HttpField ACCEPT = new HttpField(HttpHeader.ACCEPT, "application/json");
        private final HttpClient client;
        private final BaseUrls baseUrl;

        Jetty(String baseUrl, int maxConnections) {
            this.baseUrl = new BaseUrls(baseUrl);
            ClientConnector connector = new ClientConnector();
            connector.setSelectors(1);
            QueuedThreadPool pool = new QueuedThreadPool(16, 4);
            pool.setName("bench-client");
            pool.setDaemon(true);
            client = new HttpClient(new HttpClientTransportOverHTTP(connector));
            client.setExecutor(pool);
            client.setMaxConnectionsPerDestination(maxConnections);
            client.setMaxRequestsQueuedPerDestination(1 << 20); // the open loop queues here, timed from intent
            // under the server's 30 s (Jetty's default): a connection left idle after a burst is retired here first,
            // rather than closed by the server just as a request is sent on it (which fails without an answer)
            client.setIdleTimeout(20_000);
            client.setConnectTimeout(10_000);
            client.setFollowRedirects(false);
            client.setUserAgentField(null);
            client.getContentDecoderFactories().clear(); // no Accept-Encoding: answers are not compressed
            try {
                client.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the Jetty HTTP client: " + e.getMessage(), e);
            }
        }

        @Override
        public CompletableFuture<Reply> send(String method, String path, String token, byte[] body) {
            CompletableFuture<Reply> done = new CompletableFuture<>();
            Request r = client.newRequest(URI.create(baseUrl.resolve(path))).method(method)
                    .timeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            r.headers(h -> {
                h.add(ACCEPT);
                if (token != null) h.add(HttpHeader.AUTHORIZATION, "Bearer " + token);
            });
            if (body != null) r.body(new BytesRequestContent("application/json", body));
            r.send(new BufferingResponseListener(MAX_REPLY_BYTES) {
                @Override
                public void onComplete(Result result) {
                    if (result.isFailed()) done.completeExceptionally(result.getFailure());
                    else done.complete(new Reply(result.getResponse().getStatus(),
                            getContentAsString(StandardCharsets.UTF_8)));
                }
            });
            return done;
        }

        @Override
        public String name() {
            return "jetty-client " + org.eclipse.jetty.util.Jetty.VERSION;
        }

        @Override
        public void close() {
            try {
                client.stop();
            } catch (Exception e) {
                System.err.println("bench: Jetty client did not stop cleanly: " + e.getMessage());
            }
        }
    }

    /** java.net.http.HttpClient, HTTP/1.1 only; it opens as many keep-alive connections as requests in flight. */
    final class Jdk implements LoadClient {
        private final java.net.http.HttpClient client;
        private final ExecutorService executor;
        private final BaseUrls baseUrl;

        Jdk(String baseUrl) {
            this.baseUrl = new BaseUrls(baseUrl);
            this.executor = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("bench-jdkclient-", 0).factory());
            this.client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                    .executor(executor).build();
        }

        @Override
        public CompletableFuture<Reply> send(String method, String path, String token, byte[] body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl.resolve(path))).timeout(REQUEST_TIMEOUT)
                    .header("Accept", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (body != null) b.header("Content-Type", "application/json");
            if (token != null) b.header("Authorization", "Bearer " + token);
            return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> new Reply(r.statusCode(), r.body()));
        }

        @Override
        public String name() {
            return "java.net.http.HttpClient (JDK " + Runtime.version() + ")";
        }

        @Override
        public void close() {
            client.close();
            executor.shutdownNow();
        }
    }
}
