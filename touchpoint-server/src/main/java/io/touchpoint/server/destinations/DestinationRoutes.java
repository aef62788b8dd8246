package io.touchpoint.server.destinations;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.touchpoint.core.admin.Destinations;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.destinations.DeliveryMode;
import io.touchpoint.core.destinations.DeliveryStatus;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationInput;
import io.touchpoint.core.destinations.DestinationType;
import io.touchpoint.core.destinations.InvalidDestinationException;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.ingest.PayloadFields;
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.server.destinations.platforms.SendResult;
import io.touchpoint.server.http.AdminAccess;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Lookups;
import io.touchpoint.server.http.Responses;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin API of destinations: add, list, read, change, remove, send a test event, see recent deliveries and
 * replay. Guarded by the administrator credential like the rest of the admin API; secrets never come back.
 */
public final class DestinationRoutes {
    public static final String OF_WORKSPACE = "/admin/v1/workspaces/{workspace}/destinations";
    public static final String ONE = "/admin/v1/destinations/{id}";
    public static final String REPLAY = "/admin/v1/destinations/{id}/replay";
    public static final String TEST = "/admin/v1/destinations/{id}/test";
    public static final String DELIVERIES = "/admin/v1/destinations/{id}/deliveries";
    public static final String ATTEMPTS = "/admin/v1/destinations/{id}/deliveries/{outboxId}/attempts";

    private DestinationRoutes() {
    }

    /** The workspace of the destination the path names, of which the caller must be an admin. */
    private static String workspaceOf(Context ctx, Destinations destinations, Authenticator auth, HttpsPolicy https) {
        return AdminAccess.workspaceOf(ctx, https, auth, () -> destinations.require(ctx.pathParam("id"), null).workspaceId());
    }

    /** What the routes drive besides the store: the senders (resume after a replay) and the stage (new settings). */
    public interface Delivery {
        void changed(String destinationId);

        SendResult test(Destinations.Opened destination, String eventName, String testEventCode);
    }

    public static void routes(RoutesConfig routes, Destinations destinations, DestinationStore store, Workspaces workspaces,
                              Authenticator auth, HttpsPolicy https, Delivery delivery) {
        routes.get(OF_WORKSPACE, ctx -> {
            AdminAccess.workspace(ctx, https, auth, workspaces);
            List<Map<String, Object>> out = Lookups.found(() -> destinations.list(ctx.pathParam("workspace"))).stream()
                    .map(d -> view(destinations, store, d)).toList();
            respond(ctx, 200, Map.of("data", out));
        });
        routes.post(OF_WORKSPACE, ctx -> {
            AdminAccess.workspace(ctx, https, auth, workspaces);
            DestinationInput in = input(body(ctx), true);
            Destination d = valid(() -> Lookups.found(() -> destinations.create(ctx.pathParam("workspace"), in)));
            delivery.changed(d.id());
            Map<String, Object> out = new LinkedHashMap<>(view(destinations, store, d));
            boolean generated = d.type() == DestinationType.WEBHOOK && (in.settings() == null || in.settings().get("secret") == null
                    || in.settings().get("secret").isBlank());
            // shown this once, like an API token: the receiver needs it to check signatures
            if (generated) out.put("webhook_secret", destinations.open(d).secrets().get("secret"));
            respond(ctx, 201, out);
        });
        routes.get(ONE, ctx -> {
            String ws = workspaceOf(ctx, destinations, auth, https);
            respond(ctx, 200, view(destinations, store, Lookups.found(() -> destinations.require(ctx.pathParam("id"), ws))));
        });
        routes.patch(ONE, ctx -> {
            String ws = workspaceOf(ctx, destinations, auth, https);
            DestinationInput in = input(body(ctx), false);
            Destination d = valid(() -> Lookups.found(() -> destinations.update(ctx.pathParam("id"), ws, in)));
            delivery.changed(d.id());
            respond(ctx, 200, view(destinations, store, d));
        });
        routes.delete(ONE, ctx -> {
            String ws = workspaceOf(ctx, destinations, auth, https);
            Destination d = Lookups.found(() -> destinations.delete(ctx.pathParam("id"), ws));
            delivery.changed(d.id());
            respond(ctx, 200, DestinationViews.destination(d, Map.of(), null));
        });
        routes.get(DELIVERIES, ctx -> {
            String ws = workspaceOf(ctx, destinations, auth, https);
            Destination d = Lookups.found(() -> destinations.require(ctx.pathParam("id"), ws));
            DeliveryStatus status = ctx.queryParam("status") == null ? null : DeliveryStatus.fromWireName(ctx.queryParam("status"))
                    .orElseThrow(() -> ApiException.invalidValue("status", "status must be one of pending, retrying, sent, skipped, dead"));
            int limit = limit(ctx.queryParam("limit"));
            respond(ctx, 200, Map.of("data", DestinationViews.deliveries(store.recent(d.id(), status, limit))));
        });
        routes.get(ATTEMPTS, ctx -> {
            String ws = workspaceOf(ctx, destinations, auth, https);
            Destination d = Lookups.found(() -> destinations.require(ctx.pathParam("id"), ws));
            long outboxId;
            try {
                outboxId = Long.parseLong(ctx.pathParam("outboxId"));
            } catch (NumberFormatException e) {
                throw ApiException.notFound("no delivery '" + ctx.pathParam("outboxId") + "'");
            }
            if (store.delivery(outboxId).filter(x -> x.destinationId().equals(d.id())).isEmpty()) {
                throw ApiException.notFound("no delivery " + outboxId + " of destination " + d.id());
            }
            respond(ctx, 200, Map.of("data", store.attempts(outboxId).stream().map(DestinationViews::attempt).toList()));
        });
        routes.post(REPLAY, ctx -> {
            String ws = workspaceOf(ctx, destinations, auth, https);
            Destination d = Lookups.found(() -> destinations.require(ctx.pathParam("id"), ws));
            DestinationStore.Replay selection = replay(body(ctx));
            int n = store.replay(d.id(), selection, Instant.now());
            delivery.changed(d.id());
            respond(ctx, 200, Map.of("replayed", n, "destination_id", d.id()));
        });
        routes.post(TEST, ctx -> {
            String ws = workspaceOf(ctx, destinations, auth, https);
            Destination d = Lookups.found(() -> destinations.require(ctx.pathParam("id"), ws));
            Map<String, Object> body = body(ctx);
            List<FieldError> errors = new ArrayList<>();
            PayloadFields f = new PayloadFields(body, errors);
            String eventName = f.string("event_name");
            String code = f.string("test_event_code");
            if (!errors.isEmpty()) throw ApiException.validation(errors);
            boolean codeNeeded = d.type() == DestinationType.META || d.type() == DestinationType.TIKTOK;
            if (codeNeeded && code == null && d.setting("test_event_code") == null) {
                throw ApiException.validation(List.of(new FieldError("test_event_code", FieldError.MISSING, "a test event goes to "
                        + "the platform's test mode, which needs a test_event_code (Meta: Events Manager → Test events; TikTok: "
                        + "Events Manager → Test events); give it here or in the destination's settings")));
            }
            SendResult r = delivery.test(destinations.open(d), eventName == null ? "purchase" : eventName, code);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("outcome", switch (r.outcome()) {
                case SENT -> "accepted";
                case FAILED -> "refused";
                case RETRY -> "error";
                case SKIPPED -> "skipped";
            });
            out.put("status_code", r.status() == 0 ? null : r.status());
            out.put("response", r.response());
            out.put("reason", r.reason());
            respond(ctx, 200, out);
        });
    }

    private static Map<String, Object> view(Destinations destinations, DestinationStore store, Destination d) {
        Map<String, String> hints;
        try {
            hints = destinations.hints(d);
        } catch (IllegalArgumentException e) {
            hints = Map.of(); // sealed with a key no longer configured: the view says so rather than failing
        }
        return DestinationViews.destination(d, hints, store.stats(d.id()));
    }

    /** The body's fields; on a create {@code type}, {@code name} and {@code settings} are required. */
    static DestinationInput input(Map<String, Object> body, boolean create) {
        List<FieldError> errors = new ArrayList<>();
        PayloadFields f = new PayloadFields(body, errors);
        for (String key : body.keySet()) {
            if (!List.of("type", "name", "settings", "events", "event_map", "mode", "model", "base_url", "enabled").contains(key)) {
                errors.add(new FieldError(key, FieldError.INVALID_VALUE, "unknown field '" + key + "'; a destination takes type, "
                        + "name, settings, events, event_map, mode, model, base_url and enabled"));
            }
        }
        String typeName = create ? f.requiredString("type") : f.string("type");
        DestinationType type = null;
        if (typeName != null) {
            type = DestinationType.fromWireName(typeName).orElse(null);
            if (type == null) f.error("type", FieldError.INVALID_VALUE, "type must be one of meta, google_ads, tiktok, ga4, webhook");
        }
        String name = create ? f.requiredString("name") : f.string("name");
        Map<String, String> settings = strings(f, "settings", create);
        List<String> events = null;
        if (f.has("events") && body.get("events") != null) {
            List<Object> raw = f.array("events");
            if (raw != null) {
                events = new ArrayList<>();
                for (Object o : raw) {
                    if (o instanceof String s) events.add(s);
                    else f.error("events", FieldError.INVALID_TYPE, "events must be an array of event names");
                }
            }
        } else if (!create && body.containsKey("events")) {
            events = List.of(); // null clears the list: every conversion again
        }
        Map<String, String> eventMap = strings(f, "event_map", false);
        String modeName = f.string("mode");
        DeliveryMode mode = modeName == null ? null : DeliveryMode.fromWireName(modeName).orElse(null);
        if (modeName != null && mode == null) f.error("mode", FieldError.INVALID_VALUE, "mode must be all or attributed");
        String modelName = f.string("model");
        AttributionModel model = modelName == null ? null : AttributionModel.fromWireName(modelName).orElse(null);
        if (modelName != null && model == null) f.error("model", FieldError.INVALID_VALUE, "model must be a rule-based model such as last_touch");
        String baseUrl = f.has("base_url") && body.get("base_url") == null ? "" : f.string("base_url");
        Boolean enabled = f.bool("enabled");
        if (!errors.isEmpty()) throw ApiException.validation(errors);
        return new DestinationInput(type, name, settings, events, eventMap, mode, model, baseUrl, enabled);
    }

    private static Map<String, String> strings(PayloadFields f, String field, boolean required) {
        if (!f.has(field)) {
            if (required) f.error(field, FieldError.MISSING, field + " is required");
            return null;
        }
        Map<String, Object> raw = f.object(field);
        if (raw == null) return null;
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (v == null || v instanceof String) out.put(k, (String) v);
            else if (v instanceof Number || v instanceof Boolean) out.put(k, v.toString());
            else f.error(field + "." + k, FieldError.INVALID_TYPE, field + "." + k + " must be a string");
        });
        return out;
    }

    static DestinationStore.Replay replay(Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        PayloadFields f = new PayloadFields(body, errors);
        int given = (f.has("event_ids") ? 1 : 0) + (f.has("status") ? 1 : 0) + (f.has("from") || f.has("to") ? 1 : 0);
        if (given != 1) {
            throw ApiException.validation(List.of(new FieldError("event_ids", FieldError.MISSING,
                    "give exactly one of event_ids (a list), status (e.g. dead) or from and to (a time range)")));
        }
        DestinationStore.Replay out = null;
        if (f.has("event_ids")) {
            List<String> ids = f.strings("event_ids");
            if (ids != null && (ids.isEmpty() || ids.size() > 1000)) f.error("event_ids", FieldError.INVALID_VALUE, "event_ids takes 1 to 1,000 ids");
            out = DestinationStore.Replay.events(ids == null ? List.of() : ids);
        } else if (f.has("status")) {
            String s = f.string("status");
            DeliveryStatus status = s == null ? null : DeliveryStatus.fromWireName(s).filter(x -> !x.open()).orElse(null);
            if (status == null) f.error("status", FieldError.INVALID_VALUE, "status must be dead, skipped or sent");
            out = DestinationStore.Replay.status(status);
        } else {
            Instant now = Instant.now();
            Instant from = f.eventTime("from", now), to = f.eventTime("to", now);
            if (!f.has("from")) f.error("from", FieldError.MISSING, "a range replay needs from");
            if (from != null && to != null && !to.isAfter(from)) f.error("to", FieldError.INVALID_VALUE, "to must be after from");
            out = DestinationStore.Replay.range(from, to);
        }
        if (!errors.isEmpty()) throw ApiException.validation(errors);
        return out;
    }

    private static int limit(String raw) {
        if (raw == null) return 50;
        try {
            int n = Integer.parseInt(raw);
            if (n < 1 || n > 500) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.invalidValue("limit", "limit must be a whole number from 1 to 500");
        }
    }

    private static Map<String, Object> body(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null && ctx.req().getContentLengthLong() <= 0) return Map.of();
        Bodies.requireJson(ctx);
        String text = Bodies.text(ctx, 64 * 1024);
        return text.isBlank() ? Map.of() : Bodies.object(text);
    }

    private static void respond(Context ctx, int status, Map<String, Object> body) {
        Responses.jsonWithRequestId(ctx, status, body);
    }

    private static <T> T valid(Supplier<T> action) {
        try {
            return action.get();
        } catch (InvalidDestinationException e) {
            throw ApiException.validation(e.errors());
        }
    }
}
