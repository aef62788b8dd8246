package io.touchpoint.server.identity;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code DELETE /api/v1/profiles/{id}} over HTTP after requests that were refused while naming the person (an
 * email sent as an array, malformed JSON, a phone number alone, a bad token): nothing of the person is left in any
 * row, nor in the SQLite database and WAL files read as bytes.
 */
class ErasureApiTest extends ServerTest {
    /** The person as sent and as stored; none may be left anywhere. */
    private static final List<String> TRACES = List.of("erase.me@shop.io", "14155550188", "415 555 0188", "415-555-0188",
            "tok-erase-api-7");

    /** The server's data files, read as the disk holds them; none for a database server. */
    protected List<Path> files() {
        Path db = dataDir.resolve("touchpoint.db");
        return List.of(db, db.resolveSibling("touchpoint.db-wal"));
    }

    /** Every value of every row of every table of the server's store, as text. */
    protected String everyRow() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("touchpoint.db"))) {
            return everyRow(c, "SELECT name FROM sqlite_master WHERE type = 'table'");
        }
    }

    @Test
    void erasureLeavesNothingOfThePersonInTheRowsOrTheFiles() throws Exception {
        Ws ws = newWorkspace();
        for (int i = 0; i < 5; i++) {
            sendEvent(ws, "{\"event_name\":\"lead_generated\",\"email\":\"Erase.Me@Shop.io\",\"phone\":\"+1 (415) 555-0188\","
                    + "\"comet_token\":\"tok-erase-api-7\"}");
        }
        sendEvent(ws, "{\"event_name\":\"lead_generated\",\"email\":\"kept@shop.io\",\"phone\":\"+1 415 555 0199\"}");
        for (int i = 0; i < 30; i++) {
            assertThat(send(ws.token(), "{\"event_name\":\"lead_generated\",\"email\":[\"erase.me@shop.io\"]}")).isEqualTo(422);
            assertThat(send(ws.token(), "{\"event_name\":\"lead_generated\",\"email\":\"ERASE.ME@SHOP.IO\",")).isEqualTo(400);
            assertThat(send(ws.token(), "{\"event_name\":\"lead_generated\",\"phone\":\"+1 415 555 0188\"}")).isEqualTo(422);
            assertThat(send("tp_not_a_token", "{\"event_name\":\"lead_generated\",\"email\":\"erase.me@shop.io\"}")).isEqualTo(401);
        }
        assertThat(send(ws.token(), "{\"event_name\":\"lead_generated\",\"email\":[\"kept@shop.io\"]}")).isEqualTo(422);
        awaitProcessed();
        String id = (String) profileByIdentifier(ws, "email:erase.me@shop.io").get("id");
        if (!files().isEmpty()) assertThat(traces(fileText())).as("the files before the erasure").isNotEmpty();

        Response erased = http.delete("/api/v1/profiles/" + id, ws.token());
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);

        assertThat(traces(fileText())).as("the server's files").isEmpty();
        String rows = everyRow();
        assertThat(traces(rows)).as("the live rows").isEmpty();
        assertThat(rows).contains("kept@shop.io").contains("identity_required");
        Response log = http.get("/api/v1/events-log?limit=200", ws.token());
        assertThat(list(log.json().get("data"))).as("every request keeps its row").hasSize(97);
    }

    private int send(String token, String body) {
        return http.postJson("/public-api/v1/events", token, body).status();
    }

    private static List<String> traces(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return TRACES.stream().filter(lower::contains).toList();
    }

    private String fileText() throws Exception {
        StringBuilder out = new StringBuilder();
        for (Path f : files()) {
            if (Files.exists(f)) out.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\n');
        }
        return out.toString();
    }

    /** Every value of every row of the tables {@code tablesQuery} names, tab-separated. */
    static String everyRow(Connection c, String tablesQuery) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(tablesQuery)) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            if (tables.size() < 8) throw new AssertionError("expected the server's tables, found " + tables);
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) for (int i = 1; i <= n; i++) out.append(rs.getString(i)).append('\t');
                }
            }
        }
        return out.toString();
    }
}
