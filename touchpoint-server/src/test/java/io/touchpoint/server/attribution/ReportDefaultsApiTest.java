package io.touchpoint.server.attribution;

import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.MovableClock;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Default report dates follow the server's clock in the workspace's zone; a run's time reads back unchanged. */
class ReportDefaultsApiTest extends ServerTest {
    private static final ZoneId KIRITIMATI = ZoneId.of("Pacific/Kiritimati"); // UTC+14
    private final MovableClock clock = new MovableClock();

    @Override
    protected Clock clock() {
        return clock;
    }

    @Test
    void withoutDatesAReportCoversTheLast30DaysOfTheWorkspacesCalendarByTheServersClock() {
        clock.advance(Duration.ofDays(400)); // the server's today is far from the machine's
        Ws ws = newWorkspace();
        Response put = http.send(http.request("/admin/v1/workspaces/" + ws.id() + "/settings")
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"time_zone\":\"Pacific/Kiritimati\"}")).build());
        assertThat(put.status()).as(put.body()).isEqualTo(200);

        LocalDate before = LocalDate.ofInstant(clock.instant(), KIRITIMATI);
        Map<String, Object> data = data(http.get("/api/v1/reports/attribution?model=linear", ws.token()));
        LocalDate after = LocalDate.ofInstant(clock.instant(), KIRITIMATI);
        LocalDate to = LocalDate.parse((String) data.get("to"));
        assertThat(to).isBetween(before, after); // equal unless midnight passed in Kiritimati meanwhile
        assertThat(LocalDate.parse((String) data.get("from"))).isEqualTo(to.minusDays(29));
    }

    @Test
    void aRecomputedRunReportsTheSameTimeItIsReadBackWith() {
        Ws ws = newWorkspace();
        String range = "?model=markov,shapley&from=2026-02-01&to=2026-03-01";
        Map<String, Object> computed = data(http.postJson("/api/v1/reports/attribution/recompute" + range, ws.token(), ""));
        Map<String, Object> read = data(http.get("/api/v1/reports/attribution" + range, ws.token()));
        assertThat(map(read.get("data_driven")).get("computed_at"))
                .isNotNull().isEqualTo(map(computed.get("data_driven")).get("computed_at"));
    }

    private static Map<String, Object> data(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return map(r.json().get("data"));
    }
}
