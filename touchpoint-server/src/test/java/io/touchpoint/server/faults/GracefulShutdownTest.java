package io.touchpoint.server.faults;

import io.touchpoint.server.support.EventsLogReader;
import io.touchpoint.server.support.IngestLoad;
import io.touchpoint.server.support.ServerProcess;
import io.touchpoint.server.support.ServerProcess.CreatedWorkspace;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A graceful shutdown loses nothing. The real server process gets SIGTERM while several
 * threads keep sending; it exits promptly and cleanly, and every event it acknowledged is stored.
 */
class GracefulShutdownTest {
    static final int SENDERS = 8;

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void sigtermUnderLoadExitsCleanlyAndKeepsEveryAcknowledgedEvent() throws Exception {
        Path data = dir.resolve("data");
        CreatedWorkspace ws = ServerProcess.createWorkspace(data, "acme");

        Map<String, String> acknowledged;
        try (ServerProcess server = ServerProcess.start(data);
             IngestLoad load = IngestLoad.start(server.baseUrl(), ws.token(), SENDERS, "term")) {
            load.awaitAcknowledged(300, Duration.ofSeconds(60));
            Thread.sleep(1_000);
            assertThat(load.running()).isEqualTo(SENDERS);
            load.awaitInFlight(Duration.ofSeconds(10));

            int exit = server.terminate(Duration.ofSeconds(10));

            assertThat(exit).as("a clean exit after a graceful stop\n" + server.log()).isEqualTo(0);
            load.awaitSendersEnded(Duration.ofSeconds(30));
            assertThat(load.unexpected()).as("answers other than 202 or 503").isEmpty();
            assertThat(server.log()).contains("msg=\"stopped\"").doesNotContain("level=ERROR");
            acknowledged = load.acknowledged();
            System.out.printf("sigterm: %d sent, %d acknowledged, %d overloaded, connection failures %s%n",
                    load.sent(), acknowledged.size(), load.overloaded(), load.connectionFailures());
        }

        try (ServerProcess again = ServerProcess.start(data)) {
            Map<String, String> stored = EventsLogReader.acceptedEvents(again.http, TestServer.ADMIN_TOKEN, ws.id());
            List<String> missing = new ArrayList<>();
            acknowledged.forEach((key, id) -> {
                if (!key.equals(stored.get(id))) missing.add(key + "=" + id);
            });
            assertThat(missing).as("acknowledged events missing after SIGTERM").isEmpty();
            assertThat(again.terminate(Duration.ofSeconds(10))).isEqualTo(0);
        }
    }

    /**
     * A request the server is still receiving when SIGTERM arrives is answered, not cut off: the server stops
     * taking connections but lets requests in flight finish and commits them before it exits. The body
     * trickles in a byte every 100 ms, so the connection is never idle while the server stops.
     */
    @Test
    @Timeout(120)
    void requestInFlightAtSigtermIsAnsweredAndStored() throws Exception {
        Path data = dir.resolve("data");
        CreatedWorkspace ws = ServerProcess.createWorkspace(data, "acme");
        byte[] body = ("{\"event_name\":\"lead_generated\",\"email\":\"developers@cometly.com\","
                + "\"url\":\"https://example.com/" + "a".repeat(300) + "\",\"idempotency_key\":\"in-flight-1\"}")
                .getBytes(StandardCharsets.UTF_8);
        SlowPost.Answer answer;
        int exit;
        try (ServerProcess server = ServerProcess.start(data)) {
            warmUp(server, ws);
            URI uri = URI.create(server.baseUrl());
            try (SlowPost post = new SlowPost(uri, ws.token(), body)) {
                CountDownLatch finish = new CountDownLatch(1);
                AtomicInteger sent = new AtomicInteger(1);
                post.send(0, 1);
                Thread trickle = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (sent.get() < body.length && !finish.await(100, TimeUnit.MILLISECONDS)) {
                            post.send(sent.get(), sent.incrementAndGet());
                        }
                        if (sent.get() < body.length) post.send(sent.getAndSet(body.length), body.length);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(300); // the server has the head and waits for the rest of the body

                server.signalTerminate();
                awaitRefusingConnections(uri, Duration.ofSeconds(10)); // it is stopping now
                assertThat(server.isAlive()).as("still finishing the request in flight").isTrue();
                assertThat(sent.get()).as("the body was still arriving when the server began to stop")
                        .isLessThan(body.length);
                finish.countDown();
                trickle.join(Duration.ofSeconds(10));
                assertThat(sent.get()).isEqualTo(body.length);
                answer = post.answer();
            }
            exit = server.awaitExit(Duration.ofSeconds(10));
        }
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        assertThat(answer.body()).contains("\"outcome\":\"accepted\"");
        assertThat(exit).isEqualTo(0);

        try (ServerProcess again = ServerProcess.start(data)) {
            Map<String, String> stored = EventsLogReader.acceptedEvents(again.http, TestServer.ADMIN_TOKEN, ws.id());
            assertThat(stored).containsValue("in-flight-1");
            assertThat(again.terminate(Duration.ofSeconds(10))).isEqualTo(0);
        }
    }

    /**
     * A client that stalls mid-body while the server stops is not waited for long (Jetty gives idle
     * connections a second once it shuts down), but what it gets is a retryable timeout, not a 400 that
     * tells it the request was bad and may be dropped. Nothing is stored, so the retry is safe.
     */
    @Test
    @Timeout(120)
    void requestStalledAcrossSigtermGetsARetryableTimeout() throws Exception {
        Path data = dir.resolve("data");
        CreatedWorkspace ws = ServerProcess.createWorkspace(data, "acme");
        byte[] body = ("{\"event_name\":\"lead_generated\",\"email\":\"developers@cometly.com\","
                + "\"idempotency_key\":\"stalled-1\"}").getBytes(StandardCharsets.UTF_8);
        SlowPost.Answer answer;
        int exit;
        try (ServerProcess server = ServerProcess.start(data)) {
            warmUp(server, ws);
            try (SlowPost post = new SlowPost(URI.create(server.baseUrl()), ws.token(), body)) {
                post.send(0, body.length / 2);
                Thread.sleep(300);
                server.signalTerminate();
                answer = post.answer(); // the rest of the body never comes
            }
            exit = server.awaitExit(Duration.ofSeconds(15));
        }
        assertThat(answer.status()).as(answer.body()).isEqualTo(408);
        Map<String, Object> json = io.touchpoint.server.support.HttpTestClient.parse(answer.body());
        assertThat(json).containsKeys("message", "error", "request_id");
        assertThat(json.get("error")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("code", "request_timeout");
        assertThat(exit).isEqualTo(0);

        try (ServerProcess again = ServerProcess.start(data)) {
            Map<String, String> stored = EventsLogReader.acceptedEvents(again.http, TestServer.ADMIN_TOKEN, ws.id());
            assertThat(stored).doesNotContainValue("stalled-1");
            assertThat(again.terminate(Duration.ofSeconds(10))).isEqualTo(0);
        }
    }

    private static void warmUp(ServerProcess server, CreatedWorkspace ws) {
        assertThat(server.http.postJson("/public-api/v1/events", ws.token(),
                "{\"event_name\":\"lead_generated\",\"email\":\"warm@example.com\"}").status()).isEqualTo(202);
    }

    /** A Cometly POST written by hand on a socket, so the test decides when each byte of the body goes out. */
    private static final class SlowPost implements AutoCloseable {
        record Answer(int status, String body) {
        }

        private final Socket socket;
        private final OutputStream out;
        private final byte[] body;

        SlowPost(URI base, String token, byte[] body) throws IOException {
            this.body = body;
            this.socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            out.write(("POST /public-api/v1/events HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        synchronized void send(int from, int to) throws IOException {
            out.write(body, from, to - from);
            out.flush();
        }

        /** Reads the status line, the head and a Content-Length body. */
        Answer answer() throws IOException {
            InputStream in = socket.getInputStream();
            String status = line(in);
            int length = -1;
            for (String header; !(header = line(in)).isEmpty(); ) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring("content-length:".length()).strip());
                }
            }
            if (length < 0) throw new IOException("no Content-Length in the answer " + status);
            return new Answer(Integer.parseInt(status.split(" ")[1]), new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        /** One CRLF-terminated line of an HTTP/1.1 head. */
        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c == -1) throw new IOException("connection closed after '" + sb + "'");
                if (c != '\r') sb.append((char) c);
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void awaitRefusingConnections(URI uri, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1_000);
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the server still takes connections " + timeout + " after SIGTERM");
    }
}
