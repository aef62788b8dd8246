package io.touchpoint.server.adaccounts;

import io.touchpoint.core.adaccounts.AdAccount;
import io.touchpoint.core.adaccounts.SyncState;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the API shows a connection: its plain settings, its secrets only as hints (or not at all), and its last sync. */
final class AdAccountViews {
    private AdAccountViews() {
    }

    static Map<String, Object> account(AdAccount a, Map<String, String> secretHints) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", a.id());
        out.put("workspace_id", a.workspaceId());
        out.put("platform", a.platform().wireName());
        out.put("name", a.name());
        out.put("account_id", a.accountId());
        Map<String, String> settings = new LinkedHashMap<>(a.settings());
        settings.putAll(secretHints);
        out.put("settings", settings);
        out.put("enabled", a.enabled());
        out.put("created_at", text(a.createdAt()));
        out.put("updated_at", text(a.updatedAt()));
        out.put("last_sync", sync(a.lastSync()));
        return out;
    }

    static Map<String, Object> sync(SyncState s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", s.status().wireName());
        out.put("message", s.message());
        out.put("rows", s.rows());
        out.put("from", s.from() == null ? null : s.from().toString());
        out.put("to", s.to() == null ? null : s.to().toString());
        out.put("started_at", text(s.startedAt()));
        out.put("finished_at", text(s.finishedAt()));
        return out;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
