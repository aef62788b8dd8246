package io.touchpoint.server.identity;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.identity.Profile;
import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.normalize.Emails;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogStore;
import io.touchpoint.core.store.IdentityStore;
import io.touchpoint.core.touchpoint.EventTouch;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.ReadAccess;
import io.touchpoint.server.http.Responses;
import io.touchpoint.server.processing.StageRunner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Profiles (docs/IDENTITY.md): list the people of a workspace ({@link People}), look one up by identifier, read it
 * with how each identifier was linked, its journey, undo a merge, export everything stored about the person, erase
 * it. The administrator names the workspace with {@code ?workspace=} (id or name); a workspace token with the read
 * scope sees only its own workspace.
 */
public final class ProfileRoutes {
    public static final String FIND = "/api/v1/profiles";
    public static final String ONE = "/api/v1/profiles/{id}";
    public static final String JOURNEY = "/api/v1/profiles/{id}/journey";
    public static final String UNMERGE = "/api/v1/profiles/{id}/unmerge";
    public static final String EXPORT = "/api/v1/profiles/{id}/export";

    private ProfileRoutes() {
    }

    public static void routes(RoutesConfig routes, IdentityStore identity, EventLogStore log, AttributionStore attribution,
                              Authenticator auth, HttpsPolicy https, Workspaces workspaces, StageRunner processor,
                              java.util.function.Consumer<String> erasedIn) {
        routes.get(FIND, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspace(ctx, auth, workspaces);
            if (ctx.queryParam("identifier") == null) {
                People.respond(ctx, identity, workspaces.require(ws));
                return;
            }
            Identifier id = identifier(ctx.queryParam("identifier"));
            String profile = identity.findProfile(ws, id)
                    .orElseThrow(() -> ApiException.notFound("no profile carries " + id.type().wireName() + " '" + id.value() + "'"));
            respond(ctx, profileView(identity.profile(ws, profile).orElseThrow(), processor));
        });
        routes.get(ONE, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspace(ctx, auth, workspaces);
            respond(ctx, profileView(require(identity, ws, ctx.pathParam("id")), processor));
        });
        routes.get(JOURNEY, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspace(ctx, auth, workspaces);
            Profile p = require(identity, ws, ctx.pathParam("id"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("profile_id", p.id());
            List<Event> events = identity.journey(ws, p.id());
            Set<String> conversions = attribution.conversionsAmong(ws, events.stream().map(Event::id).toList());
            body.put("data", events.stream().map(e -> journeyItem(e, conversions)).toList());
            body.put("processing", processing(processor));
            body.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, body);
        });
        routes.post(UNMERGE, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspaceToChange(ctx, auth, workspaces);
            Profile p = require(identity, ws, ctx.pathParam("id"));
            String text = Bodies.text(ctx, 8 * 1024);
            Object mergeId = text.isBlank() ? null : Bodies.object(text).get("merge_id");
            if (!(mergeId instanceof Number n)) {
                throw ApiException.invalidParameter("merge_id",
                        "merge_id must be the id of a merge in this profile's merge log");
            }
            boolean known = p.merges().stream().anyMatch(m -> m.id() == n.longValue()
                    && Profile.MergeRecord.MERGED.equals(m.outcome()) && m.undoneAt() == null);
            if (!known || !identity.unmerge(ws, n.longValue())) {
                throw ApiException.notFound("no merge " + n + " to undo in this profile's merge log");
            }
            respond(ctx, profileView(identity.profile(ws, p.id()).orElseThrow(), processor));
        });
        routes.get(EXPORT, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspaceToChange(ctx, auth, workspaces);
            Profile p = require(identity, ws, ctx.pathParam("id"));
            List<Event> events = identity.journey(ws, p.id());
            List<Map<String, Object>> logRows = new ArrayList<>();
            for (Event e : events) {
                for (EventLogEntry entry : log.byRequestId(ws, e.requestId())) {
                    if (e.id().equals(entry.eventId())) logRows.add(logView(entry));
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("profile", profileView(p, null));
            body.put("events", events);
            body.put("events_log", logRows);
            body.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, body);
        });
        routes.delete(ONE, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspaceToChange(ctx, auth, workspaces);
            Profile p = require(identity, ws, ctx.pathParam("id"));
            identity.erase(ws, p.id());
            erasedIn.accept(ws); // files kept of the workspace's reports hold the person's rows: they go
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", p.id());
            body.put("erased", true);
            body.put("request_id", Responses.requestId(ctx));
            Responses.json(ctx, 200, body);
        });
    }

    private static void respond(Context ctx, Map<String, Object> view) {
        Map<String, Object> body = new LinkedHashMap<>(view);
        body.put("request_id", Responses.requestId(ctx));
        Responses.json(ctx, 200, body);
    }

    private static Profile require(IdentityStore identity, String ws, String id) {
        return identity.profile(ws, id).orElseThrow(() -> ApiException.notFound("no profile '" + id + "'"));
    }

    static Identifier identifier(String raw) {
        int colon = raw == null ? -1 : raw.indexOf(':');
        IdentifierType type = colon < 0 ? null : IdentifierType.fromWireName(raw.substring(0, colon).strip().toLowerCase(Locale.ROOT)).orElse(null);
        if (type == null || raw.substring(colon + 1).isBlank()) {
            throw ApiException.invalidParameter("identifier", "identifier must be TYPE:VALUE, e.g. email:jane@example.com");
        }
        String value = raw.substring(colon + 1).strip();
        if (type == IdentifierType.EMAIL) value = Emails.normalize(value).orElse(value.toLowerCase(Locale.ROOT));
        return new Identifier(type, value);
    }

    static Map<String, Object> processing(StageRunner processor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lag_events", processor == null ? null : processor.lag());
        return m;
    }

    static Map<String, Object> profileView(Profile p, StageRunner processor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("workspace_id", p.workspaceId());
        m.put("created_at", p.createdAt());
        m.put("merged_profiles", p.mergedProfiles());
        m.put("identifiers", p.identifiers().stream().map(l -> {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("type", l.identifier().type().wireName());
            i.put("value", l.identifier().value());
            i.put("linked_to", l.linkedTo());
            i.put("rule", l.rule());
            i.put("event_id", l.eventId());
            i.put("first_seen", l.firstSeen());
            i.put("last_seen", l.lastSeen());
            return i;
        }).toList());
        m.put("merges", p.merges().stream().map(x -> {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("id", x.id());
            i.put("survivor", x.survivor());
            i.put("absorbed", x.absorbed());
            i.put("via", Map.of("type", x.via().type().wireName(), "value", x.via().value()));
            i.put("rule", x.rule());
            i.put("outcome", x.outcome());
            i.put("event_id", x.eventId());
            i.put("at", x.at());
            i.put("undone_at", x.undoneAt());
            return i;
        }).toList());
        if (processor != null) m.put("processing", processing(processor));
        return m;
    }

    /**
     * One event of a journey, with what a timeline needs: the device it came from, the touchpoint it makes (as the
     * attribution stage reads it), and where its attribution receipt is when it is a conversion.
     */
    private static Map<String, Object> journeyItem(Event e, Set<String> conversions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_id", e.id());
        m.put("name", e.name());
        m.put("event_time", e.eventTime());
        m.put("received_at", e.receivedAt());
        m.put("source", e.source().wireName());
        m.put("page_url", e.context().pageUrl());
        m.put("campaign", e.context().campaign());
        m.put("identifiers", e.identifiers().stream().map(i -> Map.of("type", i.type().wireName(), "value", i.value())).toList());
        m.put("value", e.commerce().value());
        m.put("currency", e.commerce().currency());
        m.put("referrer", e.context().referrer());
        m.put("device", device(e));
        m.put("touchpoint", EventTouch.of(e).map(ProfileRoutes::touch).orElse(null));
        m.put("attribution", conversions.contains(e.id())
                ? Map.of("receipt_url", "/api/v1/conversions/" + e.id() + "/attribution") : null);
        return m;
    }

    /**
     * The browser or device behind an event: {@code key} groups a timeline's events by device (the visitor token,
     * else the fingerprint; null for a server event that names neither).
     */
    private static Map<String, Object> device(Event e) {
        String token = e.identifier(IdentifierType.VISITOR_TOKEN);
        String fingerprint = e.identifier(IdentifierType.FINGERPRINT);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", token != null ? "visitor_token:" + token : fingerprint != null ? "fingerprint:" + fingerprint : null);
        m.put("visitor_token", token);
        m.put("fingerprint", fingerprint);
        m.put("user_agent", e.context().userAgent());
        m.put("ip", e.context().ip());
        return m;
    }

    /** {@code signal} false: a page view without a campaign signal, which continues the visit in progress or is Direct. */
    private static Map<String, Object> touch(EventTouch et) {
        var t = et.touchpoint();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel", t.channel().label());
        m.put("platform", t.platform().wireName());
        m.put("source", t.source());
        m.put("medium", t.medium());
        m.put("campaign", t.campaign());
        m.put("term", t.term());
        m.put("content", t.content());
        m.put("click_id_type", t.clickIdType() == null ? null : t.clickIdType().wireName());
        m.put("click_id", t.clickId());
        m.put("signal", et.signal());
        return m;
    }

    private static Map<String, Object> logView(EventLogEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request_id", e.requestId());
        m.put("item_index", e.itemIndex());
        m.put("received_at", e.receivedAt());
        m.put("endpoint", e.endpoint());
        m.put("outcome", e.outcome().wireName());
        m.put("event_name", e.eventName());
        m.put("email", e.email());
        m.put("event_id", e.eventId());
        m.put("payload", e.payload());
        return m;
    }
}
