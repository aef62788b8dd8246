package io.touchpoint.server.audit;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.touchpoint.server.audit.AuditedRoute.answer;
import static io.touchpoint.server.audit.AuditedRoute.on;
import static io.touchpoint.server.audit.AuditedRoute.path;

/**
 * Every route the audit log records, in one table: each admin change (workspaces, tokens, funnels, settings, pixel,
 * identity guardrails, attribution settings, ad spend, destinations, set-aside retries, test events, saved views), each change
 * to a person's data (erasure, unmerge, recomputation), each export (a profile, a report or the events log as CSV, a scheduled export run now), and the dashboard
 * session's sign-in, refused sign-in and sign-out. Reads and ingest are not recorded. A test walks every change route
 * of the OpenAPI document and checks that it is here and leaves an entry.
 */
final class AuditedChanges {
    private AuditedChanges() {
    }

    /** What a report's export or recomputation covered. */
    private static final String[] REPORT_PARAMS = {"from", "to", "group_by", "model", "event_name", "interval"};

    static final List<AuditedRoute> ALL = List.of(
            on("POST /admin/v1/workspaces", "workspace.created").target("workspace", answer("id"))
                    .fieldNames().keep("name"),
            on("POST /admin/v1/workspaces/{workspace}/tokens", "token.created").target("token", answer("id"))
                    .fieldNames().keep("name", "scopes"),
            on("DELETE /admin/v1/tokens/{tokenId}", "token.revoked").target("token", path("tokenId")),
            on("POST /admin/v1/workspaces/{workspace}/funnels", "funnel.created").target("funnel", answer("id"))
                    .keep("name"),
            on("DELETE /admin/v1/funnels/{funnelId}", "funnel.revoked").target("funnel", path("funnelId")),
            on("PUT /admin/v1/workspaces/{workspace}/settings", "settings.changed").detail("settings", "general")
                    .fieldNames(),
            on("PUT /admin/v1/workspaces/{workspace}/pixel", "settings.changed").detail("settings", "pixel")
                    .fieldNames(),
            on("PUT /admin/v1/workspaces/{workspace}/attribution", "settings.changed").detail("settings", "attribution")
                    .fieldNames(),
            on("PUT /admin/v1/workspaces/{workspace}/identity-guardrails", "settings.changed")
                    .detail("settings", "identity_guardrails").fieldNames(),
            on("POST /admin/v1/workspaces/{workspace}/ad-spend", "ad_spend.imported").answerFields("imported_rows"),
            on("POST /admin/v1/workspaces/{workspace}/ad-accounts", "ad_account.created")
                    .target("ad_account", answer("id")).fieldNames().keep("platform", "name", "account_id", "enabled"),
            on("PATCH /admin/v1/workspaces/{workspace}/ad-accounts/{id}", "ad_account.updated").target("ad_account", path("id"))
                    .fieldNames().keep("name", "account_id", "enabled"),
            on("DELETE /admin/v1/workspaces/{workspace}/ad-accounts/{id}", "ad_account.deleted").target("ad_account", path("id")),
            on("POST /admin/v1/workspaces/{workspace}/ad-accounts/{id}/sync", "ad_account.synced")
                    .target("ad_account", path("id")).keep("from", "to").answerFields("status", "rows"),
            on("POST /admin/v1/workspaces/{workspace}/test-events", "test_event.sent").target("event", answer("event_id")),
            on("POST /admin/v1/workspaces/{workspace}/destinations", "destination.created")
                    .target("destination", answer("id")).fieldNames().keep("type", "name", "mode", "model", "enabled"),
            on("PATCH /admin/v1/destinations/{id}", "destination.updated").target("destination", path("id"))
                    .fieldNames().keep("name", "mode", "model", "enabled"),
            on("DELETE /admin/v1/destinations/{id}", "destination.deleted").target("destination", path("id")),
            on("POST /admin/v1/destinations/{id}/replay", "destination.replayed").target("destination", path("id"))
                    .fieldNames().keep("status").answerFields("replayed"),
            on("POST /admin/v1/destinations/{id}/test", "destination.tested").target("destination", path("id"))
                    .keep("event_name").answerFields("outcome"),
            on("POST /admin/v1/set-aside/{eventId}/retry", "set_aside.retried").target("event", path("eventId"))
                    .workspace(answer("data.workspace_id")).failing(409, "set_aside.retry_failed"),
            on("DELETE /api/v1/profiles/{id}", "erasure.requested").target("profile", path("id")),
            on("POST /api/v1/profiles/{id}/unmerge", "profile.unmerged").target("profile", path("id")).keep("merge_id"),
            on("POST /api/v1/reports/attribution/recompute", "report.recomputed")
                    .query(REPORT_PARAMS),
            on("GET /api/v1/profiles/{id}/export", "export.profile").target("profile", path("id")),
            on("GET /api/v1/reports/attribution", "export.report_csv").when(ctx -> "csv".equals(ctx.queryParam("format")))
                    .query(REPORT_PARAMS),
            on("GET /api/v1/events-log", "export.events_log_csv").when(ctx -> "csv".equals(ctx.queryParam("format")))
                    .query("workspace", "request_id", "identifier", "email", "event_name", "outcome", "from", "to"),
            on("POST /admin/v1/workspaces/{workspace}/exports", "export.schedule_created").target("export", answer("id"))
                    .fieldNames().keep("name", "what", "folder", "hour"),
            on("DELETE /admin/v1/workspaces/{workspace}/exports/{id}", "export.schedule_deleted").target("export", path("id")),
            on("POST /admin/v1/workspaces/{workspace}/exports/{id}/run", "export.run").target("export", path("id"))
                    .answerFields("day", "status"),
            on("POST /api/v1/saved-views", "view.saved").target("view", answer("data.id")).keep("page", "name"),
            on("DELETE /api/v1/saved-views/{viewId}", "view.deleted").target("view", path("viewId")),
            on("POST /admin/v1/users", "user.invited").target("user", answer("id")).keep("email", "role", "workspaces"),
            on("PATCH /admin/v1/users/{id}", "user.changed").target("user", answer("id")).fieldNames().keep("role",
                    "workspaces"),
            on("DELETE /admin/v1/users/{id}", "user.removed").target("user", answer("id")),
            on("POST /admin/v1/invites/{token}", "user.password_set").target("user", answer("id")),
            on("POST /admin/v1/session", "session.signed_in").failing(401, "session.sign_in_failed"),
            on("GET /admin/v1/sso/callback", "session.signed_in").failing(403, "session.sign_in_failed"),
            on("DELETE /admin/v1/session", "session.signed_out"));

    /** By route ("METHOD /path/{param}"). */
    static final Map<String, AuditedRoute> BY_ROUTE = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(r -> r.route, Function.identity()));
}
