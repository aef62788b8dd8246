package io.touchpoint.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.core.audit.Actor;
import io.touchpoint.core.audit.AuditEntry;
import io.touchpoint.core.audit.AuditQuery;
import io.touchpoint.core.audit.Target;
import io.touchpoint.server.support.HttpTestClient.Response;
import io.touchpoint.server.support.OpenApiSchemas;
import io.touchpoint.server.support.ServerTest;
import io.touchpoint.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.touchpoint.server.support.ErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /admin/v1/audit-log}: the administrator's only, filtered by time, actor, action and workspace, paged
 * newest first, every answer as the OpenAPI document describes it; unknown or malformed parameters are a 400 in
 * the one error shape. And the retention: what is older than {@code audit.retention-days} is purged, nothing newer.
 */
class AuditLogApiTest extends ServerTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final Instant T0 = Instant.parse("2026-02-01T09:00:00Z");
    private static final Actor TOKEN = new Actor(Actor.Kind.TOKEN, "tok_01M84K0000000000000000000A", "ci");

    private AuditEntry append(Instant at, Actor actor, String workspace, String action) {
        return server.store().audit().append(new AuditEntry(0, at, actor, "198.51.100.2", "req_01M84K0000000000000000000A",
                workspace, action, new Target("token", "tok_01M84K0000000000000000000B"), Map.of("fields", List.of("name"))));
    }

    private Response read(String query) {
        return http.get("/admin/v1/audit-log" + query, ADMIN);
    }

    private List<Long> ids(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return list(r.json().get("data")).stream().map(e -> ((Number) e.get("id")).longValue()).toList();
    }

    @Test
    void filtersPagesAndTheDocumentedShape() throws Exception {
        Ws a = newWorkspace(), b = newWorkspace();
        List<AuditEntry> made = new ArrayList<>();
        for (int i = 0; i < 7; i++) made.add(append(T0.plusSeconds(i), Actor.administrator("administrator token"), a.id(), "token.created"));
        AuditEntry byToken = append(T0.plusSeconds(10), TOKEN, b.id(), "erasure.requested");
        AuditEntry destination = append(T0.plusSeconds(11), Actor.administrator("dashboard session"), b.id(), "destination.updated");
        String window = "&from=" + T0 + "&to=" + T0.plusSeconds(60);

        assertThat(ids(read("?workspace=" + b.name() + window))).containsExactly(destination.id(), byToken.id());
        assertThat(ids(read("?actor=token" + window))).containsExactly(byToken.id());
        assertThat(ids(read("?actor=token:" + TOKEN.id() + window))).containsExactly(byToken.id());
        assertThat(ids(read("?actor=token:tok_other" + window))).isEmpty();
        assertThat(ids(read("?action=destination.*" + window))).containsExactly(destination.id());
        assertThat(ids(read("?action=token.created&workspace=" + a.id() + "&from=" + T0.plusSeconds(5).toEpochMilli()
                + "&to=" + T0.plusSeconds(60).getEpochSecond()))).containsExactly(made.get(6).id(), made.get(5).id());

        // pages of 3, newest first, each the next one's cursor: all nine, once each
        List<Long> paged = new ArrayList<>();
        String cursor = null;
        Response page;
        OpenApiSchemas schemas = new OpenApiSchemas(new ObjectMapper().readTree(http.get("/openapi.json", null).body()));
        do {
            page = read("?limit=3" + window + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(schemas.answerErrors("/components/schemas/AuditLogPage", page.body())).as(page.body()).isEmpty();
            paged.addAll(ids(page));
            cursor = (String) page.json().get("next_cursor");
        } while (cursor != null);
        List<Long> newestFirst = new ArrayList<>(List.of(destination.id(), byToken.id()));
        made.reversed().forEach(e -> newestFirst.add(e.id()));
        assertThat(paged).isEqualTo(newestFirst);

        Map<String, Object> first = list(read("?limit=1" + window).json().get("data")).get(0);
        assertThat(first).containsEntry("action", "destination.updated").containsEntry("workspace_id", b.id())
                .containsEntry("client_address", "198.51.100.2").containsEntry("at", T0.plusSeconds(11).toString());
        assertThat(map(first.get("actor"))).containsEntry("kind", "administrator").containsEntry("label", "dashboard session");
        assertThat(map(first.get("target"))).containsEntry("kind", "token");
        assertThat(map(first.get("detail"))).containsEntry("fields", List.of("name"));
    }

    @Test
    void badParametersAreNamedAndOnlyTheAdministratorReads() {
        Ws ws = newWorkspace();
        Map<String, Object> unknown = assertError(read("?actions=token.*&who=me"), 400, "invalid_parameter");
        assertThat(unknown.get("message").toString()).contains("'actions'").contains("'who'").contains("the audit log takes");
        assertThat(list(unknown.get("details"))).extracting(d -> d.get("param")).containsExactly("actions", "who");
        assertThat(assertError(read("?actor=robot"), 400, "invalid_parameter")).containsEntry("param", "actor");
        assertThat(assertError(read("?actor=token:"), 400, "invalid_parameter")).containsEntry("param", "actor");
        assertThat(assertError(read("?action=Token%20revoked"), 400, "invalid_parameter")).containsEntry("param", "action");
        assertThat(assertError(read("?action=*"), 400, "invalid_parameter")).containsEntry("param", "action");
        assertThat(assertError(read("?from=yesterday"), 400, "invalid_parameter")).containsEntry("param", "from");
        assertThat(assertError(read("?cursor=abc"), 400, "invalid_parameter")).containsEntry("param", "cursor");
        assertThat(assertError(read("?limit=501"), 400, "invalid_parameter")).containsEntry("param", "limit");
        assertError(read("?workspace=no-such-workspace"), 404, "not_found");
        assertThat(http.get("/admin/v1/audit-log", ws.token()).status()).isEqualTo(401);
        assertThat(http.get("/admin/v1/audit-log", null).status()).isEqualTo(401);
    }

    @Test
    void theRetentionPurgesWhatIsOlderThanItsDaysAndNothingNewer() {
        Instant now = Instant.parse("2027-06-01T00:00:00Z");
        AuditEntry old = append(now.minus(Duration.ofDays(401)), Actor.administrator("administrator token"), null, "session.signed_in");
        AuditEntry kept = append(now.minus(Duration.ofDays(399)), Actor.administrator("administrator token"), null, "session.signed_in");
        AuditRetention retention = new AuditRetention(server.store().audit(), Clock.fixed(now, ZoneOffset.UTC), Duration.ofDays(400));
        assertThat(retention.purge()).isGreaterThanOrEqualTo(1);
        List<AuditEntry> left = server.store().audit().search(AuditQuery.latest(AuditQuery.MAX_LIMIT)).items();
        assertThat(left).contains(kept).doesNotContain(old);
    }
}
