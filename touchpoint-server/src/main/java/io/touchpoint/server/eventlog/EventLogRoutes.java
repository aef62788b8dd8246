package io.touchpoint.server.eventlog;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.ingest.EventTimes;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.normalize.Emails;
import io.touchpoint.core.normalize.Phones;
import io.touchpoint.core.store.EventLogCursor;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogQuery;
import io.touchpoint.core.store.EventLogStore;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.IdentityStore;
import io.touchpoint.core.store.Page;
import io.touchpoint.core.store.SetAsideStore;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.QueryParams;
import io.touchpoint.server.http.ReadAccess;
import io.touchpoint.server.http.Responses;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import io.touchpoint.core.destinations.Delivery;
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.server.destinations.DestinationViews;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The events log: a workspace token with the read scope sees its own workspace; the
 * administrator sees any workspace chosen with {@code ?workspace=} (id or name), or all of them.
 * Every list answer carries a {@code tail_cursor}; {@code ?since=<tail_cursor>} answers only what was committed
 * after it, which is what a live tail polls (cheaply: it reads only the entries committed since).
 */
public final class EventLogRoutes {
    public static final String LIST = "/api/v1/events-log";
    public static final String ONE = "/api/v1/events-log/{requestId}";

    private EventLogRoutes() {
    }

    public static void routes(RoutesConfig routes, EventLogStore log, Authenticator auth, HttpsPolicy https,
                              Workspaces workspaces, IdentityStore identity, AttributionStore attribution,
                              DestinationStore destinations, SetAsideStore setAside) {
        routes.get(LIST, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspaceOrAll(ctx, auth, workspaces).orElse(null);
            knownParams(ctx, LIST_PARAMS);
            Identifier identifier = identifier(ctx.queryParam("identifier"), ws, workspaces);
            Long since = since(ctx.queryParam("since"));
            EventLogCursor after = cursor(ctx.queryParam("cursor"));
            if (since != null && after != null) throw ApiException.invalidParameter("since", "since (a live tail) and cursor (older pages) do not combine");
            // read before the search: an entry committed in between is then in both answers, never in neither
            long latest = since == null ? log.latestSequence() : since;
            int limit = QueryParams.limit(ctx, 50, EventLogQuery.MAX_LIMIT);
            EventLogQuery q = new EventLogQuery(ws, outcome(ctx.queryParam("outcome")), blankToNull(ctx.queryParam("event_name")),
                    blankToNull(ctx.queryParam("email")), blankToNull(ctx.queryParam("request_id")), QueryParams.instant(ctx, "from"),
                    QueryParams.instant(ctx, "to"), after, since, limit, identifier);
            if (EventLogCsv.asked(ctx)) {
                EventLogCsv.send(ctx, log, q);
                return;
            }
            Page<EventLogEntry> page = log.search(q);
            List<EventLogEntry> items = page.items();
            if (since != null) {
                if (!items.isEmpty()) latest = items.get(items.size() - 1).sequence();
                items = items.reversed(); // newest first, as every page of the log
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("data", views(items, identity, attribution, destinations, setAside));
            body.put("next_cursor", page.nextCursor());
            body.put("tail_cursor", Long.toString(latest));
            body.put("tail_has_more", since != null && items.size() == limit);
            body.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, body);
        });
        routes.get(ONE, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspaceOrAll(ctx, auth, workspaces).orElse(null);
            knownParams(ctx, ONE_PARAMS);
            String requestId = ctx.pathParam("requestId");
            List<EventLogEntry> entries = log.byRequestId(ws, requestId);
            if (entries.isEmpty()) throw ApiException.notFound("no events log entry for request '" + requestId + "'");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("data", views(entries, identity, attribution, destinations, setAside));
            body.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, body);
        });
    }

    /** The query parameters of the list: its filters, paging and tail, and the administrator's workspace. */
    static final List<String> LIST_PARAMS = List.of("workspace", "request_id", "identifier", "email", "event_name", "outcome",
            "from", "to", "limit", "cursor", "since", "format");
    static final List<String> ONE_PARAMS = List.of("workspace");

    /** Each unknown parameter is named (400), rather than ignored as if every entry matched it. */
    static void knownParams(Context ctx, List<String> known) {
        QueryParams.known(ctx, known, "the events log takes " + String.join(", ", known)
                + (known.contains("identifier") ? " (search by phone, client id, visitor token… with identifier=TYPE:VALUE)" : ""));
    }

    /**
     * {@code identifier=TYPE:VALUE} (e.g. {@code phone:+16505551212}, {@code client_id:12354}), the value normalised as
     * ingest stores it: an email trimmed and lower-cased, a phone number to digits with its country code (the
     * workspace's phone region when it has none); it needs a workspace, as a phone number needs its region.
     */
    static Identifier identifier(String raw, String ws, Workspaces workspaces) {
        if (raw == null || raw.isBlank()) return null;
        int colon = raw.indexOf(':');
        IdentifierType type = colon < 0 ? null
                : IdentifierType.fromWireName(raw.substring(0, colon).strip().toLowerCase(Locale.ROOT)).orElse(null);
        String value = colon < 0 ? "" : raw.substring(colon + 1).strip();
        if (type == null || value.isEmpty()) {
            throw ApiException.invalidParameter("identifier", "identifier must be TYPE:VALUE, e.g. phone:+16505551212 or email:jane@example.com;"
                    + " TYPE is one of " + java.util.Arrays.stream(IdentifierType.values()).map(IdentifierType::wireName)
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        if (ws == null) {
            throw ApiException.invalidParameter("identifier", "an identifier is searched within one workspace: name it with ?workspace=");
        }
        switch (type) {
            case EMAIL -> value = Emails.normalize(value).orElse(value.toLowerCase(Locale.ROOT));
            case PHONE -> {
                String region = workspaces.require(ws).settings().phoneRegion();
                String digits = value.replaceAll("[^0-9]", "");
                value = Phones.normalize(value, region).orElse(digits.isEmpty() ? value : digits);
            }
            default -> {
            }
        }
        return new Identifier(type, value);
    }

    /**
     * The entries with what became of each accepted event once the processor got to it: the profile it resolved
     * to, for a conversion where its attribution receipt is, and under {@code processing} the stages that set it
     * aside, if any did.
     */
    private static List<Map<String, Object>> views(List<EventLogEntry> entries, IdentityStore identity,
                                                    AttributionStore attribution, DestinationStore destinations,
                                                    SetAsideStore setAside) {
        Map<String, List<String>> byWorkspace = new HashMap<>();
        for (EventLogEntry e : entries) {
            if (e.eventId() != null && e.workspaceId() != null) {
                byWorkspace.computeIfAbsent(e.workspaceId(), k -> new ArrayList<>()).add(e.eventId());
            }
        }
        Map<String, String> profiles = new HashMap<>();
        Set<String> conversions = new HashSet<>();
        Map<String, List<Delivery>> deliveries = new HashMap<>();
        Map<String, List<SetAsideStore.SetAsideEvent>> setAsides = new HashMap<>();
        byWorkspace.forEach((ws, ids) -> {
            profiles.putAll(identity.profilesOfEvents(ws, ids));
            conversions.addAll(attribution.conversionsAmong(ws, ids));
            deliveries.putAll(destinations.deliveries(ws, ids));
            setAsides.putAll(setAside.ofEvents(ws, ids));
        });
        return entries.stream().map(e -> {
            Map<String, Object> m = view(e);
            m.put("profile_id", e.eventId() == null ? null : profiles.get(e.eventId()));
            m.put("attribution", conversions.contains(e.eventId())
                    ? Map.of("receipt_url", "/api/v1/conversions/" + e.eventId() + "/attribution") : null);
            m.put("deliveries", e.eventId() == null ? List.of() : DestinationViews.deliveries(deliveries.get(e.eventId())));
            m.put("processing", processing(setAsides.get(e.eventId())));
            return m;
        }).toList();
    }

    /** {@code {"set_aside": {stage, error, at, tries}}} for the first stage that set the event aside, else null. */
    private static Map<String, Object> processing(List<SetAsideStore.SetAsideEvent> records) {
        if (records == null || records.isEmpty()) return null;
        SetAsideStore.SetAsideEvent first = records.stream().min(java.util.Comparator.comparing(SetAsideStore.SetAsideEvent::stage))
                .orElseThrow();
        Map<String, Object> setAside = new LinkedHashMap<>();
        setAside.put("stage", first.stage().wireName());
        setAside.put("error", first.error());
        setAside.put("at", first.at().toString());
        setAside.put("tries", first.tries());
        setAside.put("retry_url", "/admin/v1/set-aside/" + first.eventId() + "/retry");
        return Map.of("set_aside", setAside);
    }

    static Map<String, Object> view(EventLogEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request_id", e.requestId());
        m.put("item_index", e.itemIndex());
        m.put("received_at", e.receivedAt());
        m.put("workspace_id", e.workspaceId());
        m.put("endpoint", e.endpoint());
        m.put("source", e.source());
        m.put("outcome", e.outcome().wireName());
        m.put("http_status", e.httpStatus());
        m.put("event_name", e.eventName());
        m.put("email", e.email());
        m.put("event_id", e.eventId());
        if (e.errorCode() != null) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("code", e.errorCode());
            err.put("param", e.errorParam());
            err.put("message", e.errorMessage());
            m.put("error", err);
        } else {
            m.put("error", null);
        }
        m.put("warnings", e.warnings());
        // the accepted event's consent; null for a refusal and for an entry logged before consent was recorded
        m.put("consent", e.consent().equals(Consent.UNKNOWN) ? null : e.consent());
        m.put("payload", e.payload());
        return m;
    }

    private static EventLogEntry.Outcome outcome(String v) {
        if (v == null || v.isBlank()) return null;
        try {
            return EventLogEntry.Outcome.valueOf(v.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParameter("outcome", "outcome must be accepted, duplicate or rejected");
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Long since(String v) {
        if (v == null || v.isBlank()) return null;
        try {
            long seq = Long.parseLong(v.strip());
            if (seq >= 0) return seq;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw ApiException.invalidParameter("since", "since must be a tail_cursor value from a previous answer");
    }

    private static EventLogCursor cursor(String v) {
        if (v == null || v.isBlank()) return null;
        return EventLogCursor.parse(v.strip()).orElseThrow(() ->
                ApiException.invalidParameter("cursor", "cursor must be a next_cursor value from a previous page"));
    }

}
