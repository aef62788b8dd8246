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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §12: "graceful shutdown that loses nothing". The real server process gets SIGTERM while several
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
     * taking connections but lets requests in flight finish and commits them before it exits.
     */
    @Test
    @Timeout(120)
    void requestInFlightAtSigtermIsAnsweredAndStored() throws Exception {
        Path data = dir.resolve("data");
        CreatedWorkspace ws = ServerProcess.createWorkspace(data, "acme");
        String body = "{\"event_name\":\"lead_generated\",\"email\":\"developers@cometly.com\","
                + "\"idempotency_key\":\"in-flight-1\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int half = bytes.length / 2;
        String status;
        String answer;
        int exit;
        try (ServerProcess server = ServerProcess.start(data)) {
            assertThat(server.http.postJson("/public-api/v1/events", ws.token(),
                    "{\"event_name\":\"lead_generated\",\"email\":\"warm@example.com\"}").status()).isEqualTo(202);
            URI uri = URI.create(server.baseUrl());
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /public-api/v1/events HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                        + "\r\nAuthorization: Bearer " + ws.token() + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes, 0, half);
                out.flush();
                Thread.sleep(1_000); // the server has the headers and waits for the rest of the body

                server.signalTerminate();
                awaitRefusingConnections(uri, Duration.ofSeconds(10)); // it is stopping now
                assertThat(server.isAlive()).as("still finishing the request in flight").isTrue();

                out.write(bytes, half, bytes.length - half);
                out.flush();
                InputStream in = socket.getInputStream();
                status = line(in);
                int length = -1;
                for (String header; !(header = line(in)).isEmpty(); ) {
                    if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(header.substring("content-length:".length()).strip());
                    }
                }
                assertThat(length).as("Content-Length of the answer").isPositive();
                answer = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
            exit = server.awaitExit(Duration.ofSeconds(10));
        }
        assertThat(status).as(answer).startsWith("HTTP/1.1 202");
        assertThat(answer).contains("\"outcome\":\"accepted\"");
        assertThat(exit).isEqualTo(0);

        try (ServerProcess again = ServerProcess.start(data)) {
            Map<String, String> stored = EventsLogReader.acceptedEvents(again.http, TestServer.ADMIN_TOKEN, ws.id());
            assertThat(stored).containsValue("in-flight-1");
            assertThat(again.terminate(Duration.ofSeconds(10))).isEqualTo(0);
        }
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
