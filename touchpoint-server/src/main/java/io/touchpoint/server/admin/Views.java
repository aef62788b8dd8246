package io.touchpoint.server.admin;

import io.touchpoint.core.admin.CreatedToken;
import io.touchpoint.core.model.ApiToken;
import io.touchpoint.core.model.Funnel;
import io.touchpoint.core.model.PixelSettings;
import io.touchpoint.core.model.Scope;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.model.WorkspaceSettings;
import io.touchpoint.server.pixel.FirstParty;
import io.touchpoint.server.pixel.FirstPartyRecipes;
import io.touchpoint.server.pixel.VisitorCookie;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of workspaces and tokens, shared by the admin API and the command line's --json. */
public final class Views {
    private Views() {
    }

    public static Map<String, Object> workspace(Workspace w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("name", w.name());
        m.put("pixel_key", w.pixelKey());
        m.put("created_at", w.createdAt().toString());
        m.put("settings", settings(w.settings()));
        return m;
    }

    public static Map<String, Object> settings(WorkspaceSettings ws) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("time_zone", ws.timeZone());
        s.put("currency", ws.currency());
        s.put("phone_region", ws.phoneRegion());
        s.put("rate_limit_per_minute", ws.rateLimitPerMinute());
        s.put("consent_default", ws.consent().defaultMode().wireName());
        s.put("consent_denied_regions", ws.consent().deniedRegions());
        s.put("consent_limited_data_use_regions", ws.consent().limitedDataUseRegions());
        return s;
    }

    /**
     * A workspace's pixel: settings, install snippets for a script served from {@code baseUrl}, and the first-party
     * variant: the snippet for pages whose site routes {@code firstParty}'s prefix to this server, and the recipes
     * for doing so.
     */
    public static Map<String, Object> pixel(Workspace w, PixelSettings s, String baseUrl, FirstParty firstParty,
                                            boolean serverCookie) {
        String src = baseUrl + "/pixel/" + w.pixelKey() + ".js";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workspace_id", w.id());
        m.put("pixel_key", w.pixelKey());
        m.put("script_url", src);
        m.put("allowed_origins", s.allowedOrigins());
        m.put("domains", s.domains());
        m.put("cookie_domains", s.cookieDomains());
        m.put("snippet_head", snippet(src));
        m.put("snippet_gtm", gtmSnippet(src));
        Map<String, Object> fp = new LinkedHashMap<>();
        String path = firstParty.scriptFor(w.pixelKey());
        fp.put("path_prefix", firstParty.prefix());
        fp.put("script_path", path);
        fp.put("collect_path", firstParty.collect());
        fp.put("upstream", baseUrl);
        fp.put("snippet_head", snippet(path));
        fp.put("snippet_gtm", gtmSnippet(path));
        fp.put("recipes", FirstPartyRecipes.of(baseUrl, firstParty.prefix()));
        m.put("first_party", fp);
        Map<String, Object> cookie = new LinkedHashMap<>();
        cookie.put("name", VisitorCookie.NAME);
        cookie.put("enabled", serverCookie);
        cookie.put("max_age_seconds", VisitorCookie.MAX_AGE.toSeconds());
        m.put("server_cookie", cookie);
        return m;
    }

    public static String snippet(String src) {
        return "<script async src=\"" + src + "\"></script>";
    }

    public static String gtmSnippet(String src) {
        return "<script>\n(function () {\n  var s = document.createElement('script');\n  s.async = true;\n"
                + "  s.src = '" + src + "';\n  document.head.appendChild(s);\n})();\n</script>";
    }

    public static Map<String, Object> token(ApiToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("workspace_id", t.workspaceId());
        m.put("name", t.name());
        m.put("prefix", t.prefix());
        m.put("scopes", t.scopes().stream().map(Scope::wireName).sorted().toList());
        m.put("created_at", t.createdAt().toString());
        m.put("last_used_at", t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
        m.put("revoked_at", t.revokedAt() == null ? null : t.revokedAt().toString());
        return m;
    }

    /** A funnel; its mark is shown in full, since Able senders put it in every payload. */
    public static Map<String, Object> funnel(Funnel f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("workspace_id", f.workspaceId());
        m.put("name", f.name());
        m.put("funnel_mark", f.mark());
        m.put("created_at", f.createdAt().toString());
        m.put("revoked_at", f.revokedAt() == null ? null : f.revokedAt().toString());
        return m;
    }

    /** A token with its secret: shown once, at creation. */
    public static Map<String, Object> createdToken(CreatedToken c) {
        Map<String, Object> m = token(c.token());
        m.put("token", c.secret());
        return m;
    }
}
