package io.touchpoint.server.views;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.config.RoutesConfig;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.auth.Ids;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.ingest.PayloadFields;
import io.touchpoint.core.model.Role;
import io.touchpoint.core.store.SavedViewStore;
import io.touchpoint.core.views.SavedView;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.ReadAccess;
import io.touchpoint.server.http.Responses;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Saved views of the dashboard's report pages: a name and the page's query string, shared by everyone in the
 * workspace. Whoever may read the workspace's reports may list and save views (a view changes no data); a view is
 * deleted by the one who saved it or by an admin of the workspace.
 */
public final class SavedViewRoutes {
    public static final String LIST = "/api/v1/saved-views";
    public static final String ONE = "/api/v1/saved-views/{viewId}";
    private static final Pattern PAGE = Pattern.compile("[a-z][a-z_]{0,39}");

    private SavedViewRoutes() {
    }

    public static void routes(RoutesConfig routes, SavedViewStore views, Authenticator auth, HttpsPolicy https,
                              Workspaces workspaces, Clock clock) {
        routes.get(LIST, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspace(ctx, auth, workspaces);
            String page = ctx.queryParam("page");
            if (page == null || !PAGE.matcher(page).matches()) {
                throw ApiException.invalidParameter("page", "page names the dashboard page, e.g. attribution");
            }
            Responses.json(ctx, 200, new ListBody(views.list(ws, page).stream().map(SavedViewRoutes::view).toList(),
                    Responses.requestId(ctx)));
        });
        routes.post(LIST, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspace(ctx, auth, workspaces);
            Map<String, Object> body = Bodies.objectOrNone(ctx, Bodies.MAX_ADMIN_BYTES);
            String by = auth.adminOrWorkspaceToken(ctx).label();
            SavedView saved = views.save(parse(body, ws, by, clock.instant()));
            Responses.json(ctx, 201, new OneBody(view(saved), Responses.requestId(ctx)));
        });
        routes.delete(ONE, ctx -> {
            https.check(ctx);
            String ws = ReadAccess.workspace(ctx, auth, workspaces);
            String id = ctx.pathParam("viewId");
            SavedView v = views.byId(ws, id).orElseThrow(() -> ApiException.notFound("no saved view '" + id + "' in this workspace"));
            Authenticator.Principal p = auth.adminOrWorkspaceToken(ctx);
            boolean admin = p.roleIn(ws).map(r -> r.includes(Role.ADMIN)).orElse(false);
            if (!admin && !v.createdBy().equals(p.label())) {
                throw ApiException.permission("not_your_view", "only whoever saved a view, or an admin of the workspace, deletes it");
            }
            views.delete(ws, id);
            ctx.status(204);
        });
    }

    /** The view from a request body; every field's refusal at once, each naming its field. */
    private static SavedView parse(Map<String, Object> body, String ws, String by, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        PayloadFields f = new PayloadFields(body, errors);
        String page = f.requiredString("page");
        if (page != null && !PAGE.matcher(page).matches()) {
            f.error("page", FieldError.INVALID_VALUE, "page names the dashboard page, e.g. attribution");
        }
        // a label, so free text: kept without what no store can hold, as the events' free text is
        int before = errors.size();
        String name = f.text("name", SavedView.MAX_NAME);
        if (name == null && errors.size() == before) {
            if (f.has("name")) f.error("name", FieldError.INVALID_VALUE, "name holds no character that can be stored");
            else f.error("name", FieldError.MISSING, "name is required");
        }
        // the page's own query string may be empty (the page as it opens); it keys nothing, but it must be stored whole
        String query = body.get("query") instanceof String q && q.isBlank() ? "" : f.string("query", SavedView.MAX_QUERY);
        if (query == null && !body.containsKey("query")) {
            f.error("query", FieldError.MISSING, "query is the page's query string, e.g. group_by=campaign&model=linear");
        }
        if (!errors.isEmpty()) throw ApiException.validation(errors);
        return new SavedView(Ids.savedView(), ws, page, name, query.startsWith("?") ? query.substring(1) : query, by, now);
    }

    record View(String id, String page, String name, String query, @JsonProperty("created_by") String createdBy,
                @JsonProperty("created_at") Instant createdAt) {
    }

    record ListBody(List<View> data, @JsonProperty("request_id") String requestId) {
    }

    record OneBody(View data, @JsonProperty("request_id") String requestId) {
    }

    private static View view(SavedView v) {
        return new View(v.id(), v.page(), v.name(), v.query(), v.createdBy(), v.createdAt());
    }
}
