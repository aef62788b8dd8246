package io.touchpoint.server.attribution;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.touchpoint.server.http.CsvWriter;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Campaign values come from anyone who can load a page with the pixel; in the report's CSV none of them may be a
 * formula a spreadsheet runs when the file is opened (cells starting with = + - @, a tab or a carriage return).
 */
class ReportCsvInjectionTest extends ServerTest {
    private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0";
    private static final String CAMPAIGN = "=HYPERLINK(\"http://evil.example/\",\"x\")";
    private static final String SOURCE = "+cmd|' /C calc'!A0";
    private static final String MEDIUM = "@SUM(1+1)*cmd|' /C calc'!A0";
    private static final String CONTENT = "-2+3+cmd|' /C calc'!A0";
    private static final String TERM = "=1+1";

    private void beacon(String pixelKey, Map<String, Object> body) {
        Response r = http.post("/collect?key=" + pixelKey, null, "text/plain;charset=UTF-8", json(body),
                Map.of("User-Agent", CHROME));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    @Test
    void formulasSentThroughThePixelAreTextInTheCsv() throws Exception {
        Ws ws = newWorkspace();
        String key = server.store().workspaces().byId(ws.id()).orElseThrow().pixelKey();
        Map<String, Object> params = new HashMap<>(Map.of("utm_source", SOURCE, "utm_medium", MEDIUM,
                "utm_campaign", CAMPAIGN, "utm_content", CONTENT, "utm_term", TERM));
        beacon(key, Map.of("type", "page_view", "token", "tpv.csv12345", "url", "https://shop.example/", "params", params));
        beacon(key, Map.of("type", "identify", "token", "tpv.csv12345", "person", Map.of("email", "csv@shop.example")));
        sendEvent(ws, "{\"event_name\":\"purchase\",\"email\":\"csv@shop.example\",\"amount\":10,\"currency\":\"USD\"}");
        awaitProcessed();

        Map<String, String> sent = Map.of("campaign", CAMPAIGN, "source", SOURCE, "medium", MEDIUM, "content", CONTENT,
                "term", TERM);
        for (var group : sent.entrySet()) {
            for (String interval : List.of("total", "day")) {
                Response csv = http.get("/api/v1/reports/attribution?event_name=purchase&model=linear&format=csv&group_by="
                        + group.getKey() + "&interval=" + interval, ws.token());
                assertThat(csv.status()).as(csv.body()).isEqualTo(200);
                List<List<String>> rows = parse(csv.body());
                assertThat(rows).as(csv.body()).hasSizeGreaterThan(1);
                for (List<String> row : rows) {
                    for (String cell : row) {
                        assertThat(cell).as("a cell of %s", csv.body()).doesNotStartWith("=").doesNotStartWith("+")
                                .doesNotStartWith("-").doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r");
                    }
                }
                // the value is all there (sources and mediums in lower case, as the channel grouping keeps them), as text
                assertThat(rows).as(csv.body()).anyMatch(row -> row.stream().anyMatch(c -> c.equalsIgnoreCase("'" + group.getValue())));
            }
        }
        // the JSON report is left as it was sent: it is not read by spreadsheets
        Response json = http.get("/api/v1/reports/attribution?event_name=purchase&model=linear&group_by=campaign", ws.token());
        assertThat(json.body()).contains(json(CAMPAIGN));
    }

    @Test
    void cellsStartingWithATabOrCarriageReturnAreTextToo() {
        // the pixel strips white space from values, so these can only be shown on the writer itself
        assertThat(CsvWriter.cell("\tdata")).isEqualTo("'\tdata");
        assertThat(CsvWriter.cell("\rdata")).isEqualTo("'\rdata");
        assertThat(CsvWriter.cell("Paid Search")).isEqualTo("Paid Search");
        assertThat(CsvWriter.cell(12.5)).isEqualTo(12.5);
        assertThat(CsvWriter.cell(-3)).isEqualTo(-3);
    }

    private static List<List<String>> parse(String csv) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = new CsvMapper().readerForListOf(String.class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(csv)) {
            while (it.hasNext()) rows.add(it.next());
        }
        return rows;
    }
}
