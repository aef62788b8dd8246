package io.touchpoint.server.identity;

import io.javalin.http.Context;
import io.touchpoint.core.identity.PersonSummary;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.IdentityStore;
import io.touchpoint.core.store.Page;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.QueryParams;
import io.touchpoint.server.http.Responses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The people list ({@code GET /api/v1/profiles} without an identifier): a workspace's people, most recently seen
 * first, searchable by any identifier, a page at a time, each with first and last sight, identifiers, conversions and
 * revenue (the workspace's currency; others apart).
 */
final class People {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final int MAX_SEARCH = 200;
    private static final Pattern CURSOR = Pattern.compile("\\d{1,19}:\\S{1,200}");
    /** A phone as people type it (at least 6 digits, and + ( ) - . spaces); stored phones are digits only. */
    private static final Pattern PHONE = Pattern.compile("[+()\\-. 0-9]+");

    private People() {
    }

    static void respond(Context ctx, IdentityStore identity, Workspace ws) {
        QueryParams.known(ctx, List.of("workspace", "q", "limit", "cursor"), "the people list takes q, limit and cursor"
                + " (or identifier=TYPE:VALUE to find one profile)");
        int limit = QueryParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
        String q = ctx.queryParam("q");
        if (q != null && q.strip().length() > MAX_SEARCH) throw ApiException.invalidParameter("q", "q is at most " + MAX_SEARCH + " characters");
        if (q != null && PHONE.matcher(q.strip()).matches() && q.replaceAll("\\D", "").length() >= 6) {
            q = q.replaceAll("\\D", "").replaceFirst("^0+", "");
        }
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && !CURSOR.matcher(cursor).matches()) {
            throw ApiException.invalidParameter("cursor", "cursor must be the next_cursor of the previous page");
        }
        Page<PersonSummary> page = identity.people(ws.id(), q, limit, cursor);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", page.items().stream().map(p -> view(p, ws.settings().currency())).toList());
        body.put("next_cursor", page.nextCursor());
        body.put("request_id", Responses.requestId(ctx));
        Responses.json(ctx, 200, body);
    }

    private static Map<String, Object> view(PersonSummary p, String currency) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.profileId());
        m.put("first_seen", p.firstSeen());
        m.put("last_seen", p.lastSeen());
        m.put("identifiers", p.identifiers().stream().map(i -> Map.of("type", i.type().wireName(), "value", i.value())).toList());
        m.put("conversions", p.conversions());
        Map<String, Double> other = new TreeMap<>();
        double revenue = 0;
        for (Map.Entry<String, Double> e : p.valueByCurrency().entrySet()) {
            if (e.getKey().equals(currency)) revenue += e.getValue();
            else if (!e.getKey().isEmpty() && e.getValue() != 0) other.put(e.getKey(), round(e.getValue()));
        }
        m.put("revenue", round(revenue));
        if (!other.isEmpty()) m.put("revenue_other_currencies", other);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
