package io.touchpoint.server.http;

import io.touchpoint.core.model.Funnel;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.Payloads;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body is one JSON value in UTF-8, nothing after it: trailing content, bytes that are not UTF-8 and other
 * declared charsets are refused with 400 instead of being read in part or stored with replacement characters.
 */
class BodyEncodingTest extends ServerTest {
    private static final String EVENTS = "/public-api/v1/events";
    private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0";

    private Response post(String path, String token, String contentType, byte[] body) {
        HttpRequest.Builder b = http.request(path).header("Content-Type", contentType).header("User-Agent", CHROME)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build());
    }

    @ParameterizedTest
    @ValueSource(strings = {" xyz", "{}", "{\"event_name\":\"purchase\",\"email\":\"b@example.com\"}", " 1", "]", " null"})
    void contentAfterTheJsonValueIs400AndNothingIsStored(String trailing) {
        Ws ws = newWorkspace();
        Response r = http.postJson(EVENTS, ws.token(), Payloads.MINIMUM + trailing);
        assertError(r, 400, "malformed_json");
        assertThat(server.store().events().count(ws.id())).isZero();
    }

    @Test
    void trailingWhiteSpaceIsFine() {
        Ws ws = newWorkspace();
        assertThat(http.postJson(EVENTS, ws.token(), Payloads.MINIMUM + " \r\n\t ").status()).isEqualTo(202);
    }

    @Test
    void trailingContentIsRefusedOnEveryJsonEndpoint() {
        Ws ws = newWorkspace();
        Funnel f = server.workspaces().createFunnel(ws.id(), "trailing");
        String pixelKey = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        String twice = "{\"events\":[" + Payloads.MINIMUM + "]}{\"events\":[]}";
        assertError(http.postJson("/public-api/v1/events/batch", ws.token(), twice), 400, "malformed_json");
        assertError(http.postJson("/uip-events/event", null, Payloads.ableSeed(f.mark()) + "{}"), 400, "malformed_json");
        assertError(post("/collect?key=" + pixelKey, null, "text/plain;charset=UTF-8",
                "{\"type\":\"page_view\",\"token\":\"tpv.trailing1\"} x".getBytes(StandardCharsets.UTF_8)), 400, "malformed_json");
        assertError(http.postJson("/admin/v1/workspaces", TestServer.ADMIN_TOKEN, "{\"name\":\"trailing-ws\"} {}"),
                400, "malformed_json");
        assertError(http.postJson("/admin/v1/session", null, "{\"admin_token\":\"" + TestServer.ADMIN_TOKEN + "\"}x"),
                400, "malformed_json");
        assertThat(server.store().events().count(ws.id())).isZero();
        assertThat(server.workspaces().list()).noneMatch(w -> w.name().equals("trailing-ws"));
    }

    @Test
    void invalidUtf8Is400AndNothingIsStored() {
        Ws ws = newWorkspace();
        byte[] bad = withBytes("{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"first_name\":\"",
                new byte[]{(byte) 0xC3, (byte) 0x28}, "\"}");
        assertError(post(EVENTS, ws.token(), "application/json", bad), 400, "body_not_utf8");
        // an encoded surrogate (CESU-8) and an overlong encoding of '/' are not UTF-8 either
        assertError(post(EVENTS, ws.token(), "application/json", withBytes("{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"x\":\"",
                new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}")), 400, "body_not_utf8");
        assertError(post(EVENTS, ws.token(), "application/json", withBytes("{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"x\":\"",
                new byte[]{(byte) 0xC0, (byte) 0xAF}, "\"}")), 400, "body_not_utf8");
        assertThat(server.store().events().count(ws.id())).isZero();
    }

    @Test
    void invalidUtf8IsRefusedOnThePixelAndTheAbleWebhook() {
        Ws ws = newWorkspace();
        Funnel f = server.workspaces().createFunnel(ws.id(), "utf8");
        String pixelKey = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        byte[] beacon = withBytes("{\"type\":\"page_view\",\"token\":\"tpv.utf81234\",\"title\":\"", new byte[]{(byte) 0xFF}, "\"}");
        assertError(post("/collect?key=" + pixelKey, null, "text/plain;charset=UTF-8", beacon), 400, "body_not_utf8");
        byte[] able = withBytes(Payloads.ableSeed(f.mark()).replace("File download", "File"), new byte[]{(byte) 0x80}, "");
        assertError(post("/uip-events/event", null, "application/json", able), 400, "body_not_utf8");
        assertThat(server.store().events().count(ws.id())).isZero();
    }

    @Test
    void anotherDeclaredCharsetIs400() {
        Ws ws = newWorkspace();
        byte[] latin1 = "{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"first_name\":\"Zoë\"}"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertError(post(EVENTS, ws.token(), "application/json; charset=ISO-8859-1", latin1), 400, "charset_unsupported");
        assertError(post(EVENTS, ws.token(), "application/json;charset=\"utf-16\"",
                Payloads.MINIMUM.getBytes(StandardCharsets.UTF_16)), 400, "charset_unsupported");
        assertThat(server.store().events().count(ws.id())).isZero();
        // UTF-8 named in any spelling is fine, and its characters are stored as sent
        byte[] utf8 = "{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"first_name\":\"Zoë\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(post(EVENTS, ws.token(), "application/json; charset=UTF-8", utf8).status()).isEqualTo(202);
        assertThat(post(EVENTS, ws.token(), "application/json; charset=\"utf8\"", utf8).status()).isEqualTo(202);
    }

    @Test
    void anUnmergeBodyThatIsNotJsonIs400NotAFailure() throws Exception {
        Ws ws = newWorkspace();
        sendEvent(ws, Payloads.MINIMUM);
        awaitProcessed();
        String profile = (String) profileByIdentifier(ws, "email:developers@cometly.com").get("id");
        for (String body : new String[]{"{\"merge_id\":", "[1]", "{\"merge_id\":1} 2"}) {
            Response r = http.send(http.request("/api/v1/profiles/" + profile + "/unmerge")
                    .header("Authorization", "Bearer " + ws.token()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
        }
    }

    private static byte[] withBytes(String head, byte[] middle, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
