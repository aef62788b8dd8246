package io.touchpoint.server.views;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.SignedIn;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Saved views over HTTP: analysts save and list a workspace's views, saving under a taken name replaces the view, an
 * analyst deletes only their own while an admin deletes any, and every field's refusal names the field; what no store
 * can hold (U+0000, a lone surrogate) is left out of a name and refused in a query, on either store.
 */
class SavedViewApiTest extends ServerTest {
    private static String body(String page, String name, String query) {
        return json(Map.of("page", page, "name", name, "query", query));
    }

    @Test
    void analystsSaveAndListViewsAndDeleteOnlyTheirOwn() {
        Ws ws = newWorkspace();
        SignedIn ana = SignedIn.user(http, "ana-" + ws.id() + "@example.com", "analyst", List.of(ws.id()));
        SignedIn bea = SignedIn.user(http, "bea-" + ws.id() + "@example.com", "analyst", List.of(ws.id()));
        SignedIn adam = SignedIn.user(http, "adam-" + ws.id() + "@example.com", "admin", List.of(ws.id()));
        String list = "/api/v1/saved-views?workspace=" + ws.id();

        Response saved = ana.send("POST", list, body("attribution", " Campaigns ", "?group_by=campaign&model=linear"));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        Map<String, Object> view = map(saved.json().get("data"));
        assertThat(view).containsEntry("name", "Campaigns").containsEntry("query", "group_by=campaign&model=linear")
                .containsEntry("page", "attribution").containsEntry("created_by", "user:" + ana.userId());
        Response other = bea.send("POST", list, body("attribution", "Alpha", "group_by=source"));
        assertThat(other.status()).as(other.body()).isEqualTo(201);

        Response listed = bea.get(list + "&page=attribution");
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(list(listed.json().get("data"))).extracting(v -> v.get("name")).containsExactly("Alpha", "Campaigns");
        assertThat(list(http.get("/api/v1/saved-views?page=paths", ws.token()).json().get("data"))).isEmpty();

        // the same name again replaces the view, keeping its id
        Response replaced = ana.send("POST", list, body("attribution", "Campaigns", "group_by=campaign&model=first_touch"));
        assertThat(map(replaced.json().get("data"))).containsEntry("id", view.get("id"))
                .containsEntry("query", "group_by=campaign&model=first_touch");

        String one = "/api/v1/saved-views/" + view.get("id") + "?workspace=" + ws.id();
        assertThat(assertError(bea.send("DELETE", one, null), 403, "not_your_view")).isNotNull();
        assertThat(ana.send("DELETE", one, null).status()).isEqualTo(204);
        assertError(ana.send("DELETE", one, null), 404, "not_found");
        String alpha = "/api/v1/saved-views/" + map(other.json().get("data")).get("id") + "?workspace=" + ws.id();
        assertThat(adam.send("DELETE", alpha, null).status()).isEqualTo(204);
        assertThat(list(bea.get(list + "&page=attribution").json().get("data"))).isEmpty();
    }

    @Test
    void everyFieldsRefusalNamesTheField() {
        Ws ws = newWorkspace();
        Response r = http.postJson("/api/v1/saved-views", ws.token(), json(Map.of("page", "Attribution!", "name", " ",
                "query", true)));
        Map<String, Object> error = assertError(r, 422, "invalid_value");
        assertThat(list(error.get("details"))).extracting(d -> d.get("param")).containsExactly("page", "name", "query");
        assertThat(list(error.get("details"))).extracting(d -> d.get("code"))
                .containsExactly("invalid_value", "missing_field", "invalid_type");
        Map<String, Object> tooLong = assertError(http.postJson("/api/v1/saved-views", ws.token(),
                body("attribution", "x".repeat(101), "")), 422, "too_long");
        assertThat(tooLong).containsEntry("param", "name");
        assertThat(assertError(http.postJson("/api/v1/saved-views", ws.token(), json(Map.of("name", "Mine"))), 422,
                "missing_field")).containsEntry("param", "page");
        assertThat(assertError(http.postJson("/api/v1/saved-views", ws.token(),
                body("attribution", "Long", "q=" + "x".repeat(4000))), 422, "too_long")).containsEntry("param", "query");
        assertThat(assertError(http.get("/api/v1/saved-views", ws.token()), 400, "invalid_parameter")).containsEntry("param", "page");
        assertError(http.get("/api/v1/saved-views?page=attribution", null), 401, "token_missing");
    }

    @Test
    void aNameKeepsWhatAStoreCanHoldAndAQueryWithWhatItCannotIsRefused() {
        Ws ws = newWorkspace();
        // JSON escapes, so that the characters arrive as such rather than as what an encoder makes of them
        Response saved = http.postJson("/api/v1/saved-views", ws.token(),
                "{\"page\":\"attribution\",\"name\":\"Camp\\u0000aigns \\ud800\",\"query\":\"group_by=campaign\"}");
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        assertThat(map(saved.json().get("data")).get("name")).isEqualTo("Campaigns");
        Map<String, Object> refused = assertError(http.postJson("/api/v1/saved-views", ws.token(),
                "{\"page\":\"attribution\",\"name\":\"By source\",\"query\":\"group_by=source\\u0000\"}"), 422,
                "invalid_character");
        assertThat(refused).containsEntry("param", "query");
        assertThat(assertError(http.postJson("/api/v1/saved-views", ws.token(),
                "{\"page\":\"attribution\",\"name\":\"\\u0000\",\"query\":\"\"}"), 422, "invalid_value"))
                .containsEntry("param", "name");
        assertThat(list(http.get("/api/v1/saved-views?page=attribution", ws.token()).json().get("data")))
                .extracting(v -> v.get("name")).containsExactly("Campaigns");
    }
}
