package io.touchpoint.server.eventlog;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/events-log?format=csv}: the log's filters and access, every matching entry, audited as an export. */
class EventLogCsvApiTest extends ServerTest {
    private static final String LOG = "/api/v1/events-log";

    @Test
    void everyMatchingEntryWithTheLogsFiltersAndDocumentedColumns() throws Exception {
        Ws ws = newWorkspace();
        String a = http.postJson("/public-api/v1/events", ws.token(),
                "{\"event_name\":\"purchase\",\"email\":\"a@example.com\",\"amount\":12.5,\"currency\":\"USD\"}").header("Request-Id");
        String b = http.postJson("/public-api/v1/events", ws.token(), "{\"event_name\":\"lead_generated\",\"email\":\"=b@example.com\"}")
                .header("Request-Id");
        String c = http.postJson("/public-api/v1/events", ws.token(), "{\"event_name\":\"purchase\",\"email\":\"c@example.com\",\"amount\":-3}")
                .header("Request-Id");

        Response all = http.get(LOG + "?format=csv", ws.token());
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(all.header("Content-Type")).startsWith("text/csv");
        assertThat(all.header("Content-Disposition")).matches("attachment; filename=\"events-log-" + ws.id() + "-\\d{4}-\\d\\d-\\d\\d\\.csv\"");
        List<List<String>> rows = parse(all.body());
        assertThat(rows.get(0)).containsExactlyElementsOf(EventLogCsv.COLUMNS);
        assertThat(column(rows, "request_id")).containsExactly(c, b, a); // newest first, as the log
        List<String> rejected = rows.get(1);
        assertThat(rejected.get(EventLogCsv.COLUMNS.indexOf("outcome"))).isEqualTo("rejected");
        assertThat(rejected.get(EventLogCsv.COLUMNS.indexOf("http_status"))).isEqualTo("422");
        assertThat(rejected.get(EventLogCsv.COLUMNS.indexOf("error_param"))).isEqualTo("amount");
        assertThat(rows.get(3).get(EventLogCsv.COLUMNS.indexOf("payload"))).contains("\"amount\":12.5");

        assertThat(column(parse(http.get(LOG + "?format=csv&outcome=accepted", ws.token()).body()), "request_id"))
                .containsExactly(b, a);
        assertThat(column(parse(http.get(LOG + "?format=csv&event_name=purchase&outcome=accepted", ws.token()).body()), "request_id"))
                .containsExactly(a);
        assertThat(column(parse(http.get(LOG + "?format=csv&request_id=" + c, ws.token()).body()), "request_id"))
                .containsExactly(c);
        // the admin names the workspace as in the JSON
        assertThat(column(parse(http.get(LOG + "?format=csv&workspace=" + ws.id(), TestServer.ADMIN_TOKEN).body()), "request_id"))
                .containsExactly(c, b, a);
    }

    @Test
    void aLogOfSeveralPagesIsExportedWhole() throws Exception {
        Ws ws = newWorkspace();
        Set<String> emails = new HashSet<>();
        for (int batch = 0; batch < 2; batch++) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 700; i++) {
                String email = "p" + batch + "-" + i + "@example.com";
                emails.add(email);
                events.add("{\"event_name\":\"contact\",\"email\":\"" + email + "\"}");
            }
            Response r = http.postJson("/public-api/v1/events/batch", ws.token(), "{\"events\":[" + String.join(",", events) + "]}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("accepted")).isEqualTo(700);
        }
        Response csv = http.get(LOG + "?format=csv", ws.token());
        assertThat(csv.status()).isEqualTo(200);
        List<List<String>> rows = parse(csv.body());
        assertThat(rows).hasSize(1 + 1400); // three pages of the store, one answer
        assertThat(new HashSet<>(column(rows, "email"))).isEqualTo(emails);
    }

    @Test
    void refusalsAreTheLogsAndPagingDoesNotApply() {
        Ws ws = newWorkspace();
        assertThat(http.get(LOG + "?format=csv", null).status()).isEqualTo(401);
        assertThat(assertError(http.get(LOG + "?format=csv&limit=10", ws.token()), 400, "invalid_parameter").get("param")).isEqualTo("limit");
        assertThat(assertError(http.get(LOG + "?format=csv&since=0", ws.token()), 400, "invalid_parameter").get("param")).isEqualTo("since");
        assertThat(assertError(http.get(LOG + "?format=xml", ws.token()), 400, "invalid_parameter").get("param")).isEqualTo("format");
        assertThat(assertError(http.get(LOG + "?format=csv&outcome=maybe", ws.token()), 400, "invalid_parameter").get("param")).isEqualTo("outcome");
    }

    @Test
    void anExportIsInTheAuditLogAndAJsonReadIsNot() {
        Ws ws = newWorkspace();
        assertThat(http.get(LOG + "?workspace=" + ws.id(), TestServer.ADMIN_TOKEN).status()).isEqualTo(200);
        assertThat(http.get(LOG + "?format=csv&event_name=purchase&workspace=" + ws.id(), TestServer.ADMIN_TOKEN).status()).isEqualTo(200);
        Response audit = http.get("/admin/v1/audit-log?action=export.events_log_csv&limit=500", TestServer.ADMIN_TOKEN);
        List<Map<String, Object>> entries = list(audit.json().get("data")).stream()
                .filter(e -> ws.id().equals(e.get("workspace_id"))).toList();
        assertThat(entries).as(audit.body()).hasSize(1);
        assertThat(entries.get(0).toString()).contains("purchase");
    }

    private static List<String> column(List<List<String>> rows, String name) {
        int i = EventLogCsv.COLUMNS.indexOf(name);
        return rows.subList(1, rows.size()).stream().map(r -> r.get(i)).toList();
    }

    static List<List<String>> parse(String csv) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = new CsvMapper().readerForListOf(String.class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(csv)) {
            while (it.hasNext()) rows.add(it.next());
        }
        return rows;
    }
}
