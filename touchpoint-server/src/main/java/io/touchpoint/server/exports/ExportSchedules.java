package io.touchpoint.server.exports;

import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.auth.SecretBox;
import io.touchpoint.core.auth.Secrets;
import io.touchpoint.core.destinations.DestinationChecks;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.ingest.PayloadFields;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.ExportStore;
import io.touchpoint.core.store.ExportStore.Schedule;
import io.touchpoint.server.attribution.ReportExport;
import io.touchpoint.server.http.ApiException;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A workspace's export schedules as the admin API makes and shows them: the body checked field by field, a webhook's
 * secret generated unless given and sealed like the destinations' secrets (shown once, when generated), never shown
 * again; a folder is a path of plain names under the server's export root, never an absolute path or a way out of it.
 */
public final class ExportSchedules {
    public static final String REPORT = "attribution_report";
    public static final String EVENTS_LOG = "events_log";
    static final String WEBHOOK_SECRET_PREFIX = "whsec_";
    private static final List<String> FIELDS = List.of("name", "what", "params", "folder", "webhook_url", "webhook_secret", "hour");
    /** Folder names: letters, digits, dots, dashes and underscores, not starting with a dot; at most 8 deep. */
    private static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}){0,7}");

    private final ExportStore store;
    private final Workspaces workspaces;
    private final SecretBox box;
    private final Clock clock;

    public ExportSchedules(ExportStore store, Workspaces workspaces, SecretBox box, Clock clock) {
        this.store = store;
        this.workspaces = workspaces;
        this.box = box;
        this.clock = clock;
    }

    /** A schedule made, and its webhook secret when Touchpoint generated it (null otherwise). */
    public record Created(Schedule schedule, String generatedSecret) {
    }

    public Created create(Workspace ws, Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        PayloadFields f = new PayloadFields(body, errors);
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, FieldError.INVALID_VALUE, "unknown field '" + key + "'; an export takes "
                        + String.join(", ", FIELDS)));
            }
        }
        String name = f.requiredString("name");
        String what = f.requiredString("what");
        if (what != null && !what.equals(REPORT) && !what.equals(EVENTS_LOG)) {
            f.error("what", FieldError.INVALID_VALUE, "what must be " + REPORT + " or " + EVENTS_LOG);
        }
        Map<String, String> params = params(f, body, what);
        String folder = f.string("folder");
        String url = f.string("webhook_url", PayloadFields.MAX_URL_CHARS);
        String secret = f.string("webhook_secret");
        Integer hour = hour(f, body);
        if ((folder == null) == (url == null)) {
            f.error(folder == null ? "folder" : "webhook_url", folder == null ? FieldError.MISSING : FieldError.INVALID_VALUE,
                    "an export goes to a folder on the server or to a webhook_url: give one of the two");
        }
        if (folder != null && (!FOLDER.matcher(folder).matches() || List.of(folder.split("/")).contains(".."))) {
            f.error("folder", FieldError.INVALID_VALUE, "folder is a path under the server's export root (exports.root) made of "
                    + "names of letters, digits, dots, dashes and underscores, such as bi/daily; never absolute, never ..");
        }
        String urlProblem = DestinationChecks.url(url, true);
        if (urlProblem != null) f.error("webhook_url", FieldError.INVALID_VALUE, "webhook_url " + urlProblem);
        if (secret != null && url == null) f.error("webhook_secret", FieldError.INVALID_VALUE, "a webhook_secret signs a webhook_url");
        if (secret != null && secret.length() < 16) f.error("webhook_secret", FieldError.INVALID_VALUE, "a webhook_secret has at least 16 characters");
        if (!errors.isEmpty()) throw ApiException.validation(errors);
        if (REPORT.equals(what)) {
            try {
                ReportExport.check(params, ws);
            } catch (ApiException e) {
                throw ApiException.validation(List.of(new FieldError("params." + e.param(), FieldError.INVALID_VALUE, e.getMessage())));
            }
        }
        String generated = url != null && secret == null ? WEBHOOK_SECRET_PREFIX + Secrets.random(32) : null;
        String sealed = url == null ? null : box.seal(Map.of("secret", generated != null ? generated : secret));
        Schedule s = new Schedule(Ids.export(), ws.id(), name, what, query(params), folder, url, sealed, hour,
                clock.instant(), null);
        store.create(s);
        return new Created(s, generated);
    }

    public List<Schedule> list(String workspaceIdOrName) {
        return store.list(workspaces.require(workspaceIdOrName).id());
    }

    /** The schedule {@code id} of the workspace; 404 for another workspace's, as for none. */
    public Schedule require(String id, String workspaceId) {
        return store.byId(id).filter(s -> s.workspaceId().equals(workspaceId))
                .orElseThrow(() -> ApiException.notFound("no export '" + id + "' in this workspace"));
    }

    public void delete(Schedule s) {
        store.delete(s.id());
    }

    /** The webhook's secret, for signing; only the runner opens it. */
    String secret(Schedule s) {
        return box.open(s.sealedSecret()).get("secret");
    }

    /** Seals again every webhook secret a previous key sealed; returns how many (after a key rotation). */
    public int resealAll() {
        int n = 0;
        for (Schedule s : store.all()) {
            if (s.sealedSecret() == null || SecretBox.keyIdOf(s.sealedSecret()).equals(box.primaryKeyId())) continue;
            if (store.reseal(s.id(), box.seal(box.open(s.sealedSecret())))) n++;
        }
        return n;
    }

    /** What the API shows of a schedule: everything but the secret. */
    public static Map<String, Object> view(Schedule s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("workspace_id", s.workspaceId());
        m.put("name", s.name());
        m.put("what", s.what());
        m.put("params", params(s));
        m.put("folder", s.folder());
        m.put("webhook_url", s.url());
        m.put("hour", s.hour());
        m.put("created_at", s.createdAt().toString());
        Map<String, Object> last = null;
        if (s.lastRun() != null) {
            last = new LinkedHashMap<>();
            last.put("day", s.lastRun().day().toString());
            last.put("at", s.lastRun().at().toString());
            last.put("status", s.lastRun().status());
            last.put("message", s.lastRun().message());
        }
        m.put("last_run", last);
        return m;
    }

    /** The report's parameters a schedule keeps. */
    static Map<String, String> params(Schedule s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s.params() == null || s.params().isEmpty()) return out;
        for (String pair : s.params().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String query(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    private static Map<String, String> params(PayloadFields f, Map<String, Object> body, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body.get("params") == null) return out;
        if (!REPORT.equals(what)) {
            f.error("params", FieldError.INVALID_VALUE, "params are the attribution report's; the events log of the day takes none");
            return out;
        }
        Map<String, Object> raw = f.object("params");
        if (raw == null) return out;
        raw.forEach((k, v) -> {
            if (v instanceof String s) out.put(k, s);
            else f.error("params." + k, FieldError.INVALID_TYPE, "a report parameter is a string, as in the report's URL");
        });
        return out;
    }

    private static Integer hour(PayloadFields f, Map<String, Object> body) {
        Object h = body.get("hour");
        if (h == null) {
            f.error("hour", FieldError.MISSING, "hour is required: 0 to 23, in the workspace's time zone");
            return 0;
        }
        if (h instanceof Integer i && i >= 0 && i <= 23) return i;
        f.error("hour", FieldError.INVALID_VALUE, "hour must be a whole number from 0 to 23, in the workspace's time zone");
        return 0;
    }
}
