package io.touchpoint.server.audit;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.touchpoint.core.audit.Actor;
import io.touchpoint.core.audit.AuditEntry;
import io.touchpoint.core.audit.Target;
import io.touchpoint.core.store.AuditLog;
import io.touchpoint.server.http.Json;
import io.touchpoint.server.http.RequestAudit;
import io.touchpoint.server.http.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Writes the audit log's entries for the routes of {@link AuditedChanges}, from one after-handler: once a route has
 * answered, the entry says who (noted by the authenticator), from where, under which request id, in which workspace,
 * what, and to what. It is appended in the request, after the change and before the answer leaves, in a
 * transaction of its own rather than the change's: a change may span several rooms of the store, and tying each of
 * them to the audit room would couple them all. A failed append is logged with the whole entry and the answer
 * stands, since the change is already made and a client told otherwise would make it again.
 */
public final class AuditTrail {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private final AuditLog log;
    private final Clock clock;
    private final Function<Context, String> clientAddress;

    /** @param clientAddress the client's address (behind a trusted proxy, the one it names) */
    public AuditTrail(AuditLog log, Clock clock, Function<Context, String> clientAddress) {
        this.log = log;
        this.clock = clock;
        this.clientAddress = clientAddress;
    }

    /** The after-handler: records the request when its route is audited and its answer says it happened. */
    public void record(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null) return;
        AuditedRoute route = AuditedChanges.BY_ROUTE.get(endpoint.method.name() + " " + endpoint.path);
        if (route == null) return;
        int status = ctx.statusCode();
        String action = status >= 200 && status < 300 ? route.action
                : status == route.failedStatus ? route.failedAction : null;
        if (action == null || !route.when.test(ctx)) return;
        Optional<Actor> actor = RequestAudit.actorOf(ctx);
        if (actor.isEmpty()) {
            // a refusal before anyone was named (a single sign-on the provider declined) has no one to record
            if (action.equals(route.action)) {
                LOG.error("audited route {} answered {} without an authenticated caller; nothing recorded", route.route, status);
            }
            return;
        }
        AuditEntry entry;
        try {
            Call call = new Call(ctx, endpoint.path);
            Target target = route.targetKind == null ? null : new Target(route.targetKind, route.targetId.read(call));
            String workspace = RequestAudit.workspaceOf(ctx).orElseGet(() -> "workspace".equals(route.targetKind)
                    ? target.id() : route.workspace.read(call));
            entry = new AuditEntry(0, clock.instant(), actor.get(), clientAddress.apply(ctx), Responses.requestId(ctx),
                    workspace, action, target, detail(route, call));
        } catch (RuntimeException e) {
            LOG.error("audit entry for {} ({}) could not be made; nothing recorded", route.route, action, e);
            return;
        }
        append(entry);
    }

    /** Appends an entry made elsewhere (the command line's backups); a failure is logged, never thrown. */
    public void append(AuditEntry entry) {
        try {
            log.append(entry);
        } catch (RuntimeException e) {
            LOG.error("audit entry not stored: action={} actor={}:{} workspace={} target={} request_id={}", entry.action(),
                    entry.actor().kind().wireName(), entry.actor().id(), entry.workspaceId(), entry.target(),
                    entry.requestId(), e);
        }
    }

    private static Map<String, Object> detail(AuditedRoute route, Call call) {
        Map<String, Object> detail = new LinkedHashMap<>(route.fixed);
        Map<String, Object> body = route.fieldNames || !route.keptFields.isEmpty() ? call.body() : Map.of();
        if (route.fieldNames && !body.isEmpty()) detail.put("fields", fieldNames(body));
        for (String field : route.keptFields) {
            Object v = body.get(field);
            if (plain(v)) detail.put(field, v);
        }
        for (String field : route.answerFields) {
            Object v = call.answer().get(field);
            if (plain(v)) detail.put(field, v);
        }
        for (String param : route.queryParams) {
            String v = call.ctx.queryParam(param);
            if (v != null && !v.isBlank()) detail.put(param, v.length() <= 200 ? v : v.substring(0, 200));
        }
        return detail;
    }

    /** The body's field names, sorted, and one level into objects ({@code settings.access_token}): never values. */
    private static List<String> fieldNames(Map<String, Object> body) {
        TreeSet<String> names = new TreeSet<>();
        body.forEach((k, v) -> {
            names.add(k);
            if (v instanceof Map<?, ?> m) m.keySet().forEach(sub -> names.add(k + "." + sub));
        });
        return List.copyOf(names);
    }

    /** A value small and plain enough to keep: text, a number, a yes or no, or a list of short texts. */
    private static boolean plain(Object v) {
        if (v instanceof String s) return s.length() <= 200;
        if (v instanceof Number || v instanceof Boolean) return true;
        return v instanceof List<?> l && l.size() <= 20 && l.stream().allMatch(x -> x instanceof String s && s.length() <= 100);
    }

    /** One answered request, as the rules read it: its path parameters, its JSON body and its JSON answer. */
    static final class Call {
        private final Context ctx;
        private final Map<String, String> pathParams;
        private Map<String, Object> answer;

        Call(Context ctx, String template) {
            this.ctx = ctx;
            this.pathParams = pathParams(template, ctx.path());
        }

        String pathParam(String name) {
            return pathParams.get(name);
        }

        /** A field of the answer, {@code data.workspace_id} for a nested one; null when absent. */
        String answerField(String dotted) {
            Object v = answer();
            for (String part : dotted.split("\\.")) v = v instanceof Map<?, ?> m ? m.get(part) : null;
            return v == null ? null : v.toString();
        }

        Map<String, Object> answer() {
            if (answer == null) answer = object(ctx.result());
            return answer;
        }

        Map<String, Object> body() {
            return RequestAudit.bodyOf(ctx).map(AuditTrail::object).orElse(Map.of());
        }

        /** The after-handler sees the router's template, not its parameters: they are read off the path here. */
        private static Map<String, String> pathParams(String template, String path) {
            String[] names = template.split("/"), values = path.split("/");
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < names.length && i < values.length; i++) {
                if (names[i].startsWith("{") && names[i].endsWith("}")) {
                    out.put(names[i].substring(1, names[i].length() - 1), URLDecoder.decode(values[i].replace("+", "%2B"), StandardCharsets.UTF_8));
                }
            }
            return out;
        }
    }

    /** A JSON object's fields; empty for anything else (a CSV answer, an unreadable body). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String text) {
        if (text == null || text.isBlank()) return Map.of();
        try {
            return Json.MAPPER.readValue(text, Object.class) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (Exception e) {
            return Map.of();
        }
    }

}
