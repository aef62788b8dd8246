package io.touchpoint.server.attribution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.config.RoutesConfig;
import io.touchpoint.core.admin.Workspaces;
import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.report.SpendRow;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;
import io.touchpoint.server.http.AdminAccess;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.Bodies;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.QueryParams;
import io.touchpoint.server.http.Responses;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Administrator routes of attribution: the workspace's settings (lookback window, half-life, conversion events,
 * visit timeout) and ad spend, imported as CSV and listed back with what ad account connections synced.
 */
public final class AttributionAdminRoutes {
    public static final String SETTINGS = "/admin/v1/workspaces/{workspace}/attribution";
    public static final String SPEND = "/admin/v1/workspaces/{workspace}/ad-spend";
    static final int MAX_SPEND_BYTES = 8 * 1024 * 1024;

    private AttributionAdminRoutes() {
    }

    public static void routes(RoutesConfig routes, AttributionStore store, Workspaces workspaces, Authenticator auth,
                              HttpsPolicy https) {
        routes.get(SETTINGS, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            Responses.json(ctx, 200, SettingsView.of(store.settings(ws.id()), null, Responses.requestId(ctx)));
        });
        routes.put(SETTINGS, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            Bodies.requireJson(ctx);
            String text = Bodies.text(ctx, 64 * 1024);
            Map<String, Object> body = text.isBlank() ? Map.of() : Bodies.object(text);
            AttributionSettings s = parseSettings(body, store.settings(ws.id()));
            store.putSettings(ws.id(), s);
            List<String> warnings = body.keySet().stream().filter(k -> !FIELDS.contains(k)).sorted()
                    .map(k -> "unknown field '" + k + "' ignored").toList();
            Responses.json(ctx, 200, SettingsView.of(s, warnings.isEmpty() ? null : warnings, Responses.requestId(ctx)));
        });
        routes.post(SPEND, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
            if (!type.startsWith("text/csv")) {
                throw ApiException.invalid(415, "unsupported_media_type", "send the spend as text/csv with the header "
                        + String.join(",", SpendCsv.HEADER));
            }
            List<SpendRow> rows = SpendCsv.parse(Bodies.text(ctx, MAX_SPEND_BYTES), ws.settings().currency());
            int n = store.importSpend(ws.id(), rows);
            Responses.json(ctx, 200, new Imported(n, Responses.requestId(ctx)));
        });
        routes.get(SPEND, ctx -> {
            Workspace ws = AdminAccess.workspace(ctx, https, auth, workspaces);
            LocalDate to = QueryParams.date(ctx, "to", LocalDate.of(9999, 12, 31));
            LocalDate from = QueryParams.date(ctx, "from", LocalDate.of(1970, 1, 1));
            String currency = ws.settings().currency();
            List<SpendLine> rows = store.adSpend(ws.id(), from, to).stream().map(r -> new SpendLine(r.day(), r.platform(),
                    r.campaignId(), r.campaign(), r.adSetId(), r.adSet(), r.adId(), r.ad(), BigDecimal.valueOf(r.spend()), currency,
                    r.impressions(), r.clicks(), r.platformConversions(), r.platformConversionValue(), r.source())).toList();
            Responses.json(ctx, 200, new SpendLines(rows, Responses.requestId(ctx)));
        });
    }

    /** A workspace's attribution settings, with the fields of an update that were ignored (absent when none). */
    record SettingsView(@JsonProperty("lookback_days") int lookbackDays, @JsonProperty("half_life_days") double halfLifeDays,
                        @JsonProperty("conversion_events") List<String> conversionEvents,
                        @JsonProperty("visit_timeout_minutes") int visitTimeoutMinutes,
                        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> warnings,
                        @JsonProperty("request_id") String requestId) {
        static SettingsView of(AttributionSettings s, List<String> warnings, String requestId) {
            return new SettingsView(s.lookbackDays(), s.halfLifeDays(), s.conversionEvents(), s.visitTimeoutMinutes(),
                    warnings, requestId);
        }
    }

    record Imported(@JsonProperty("imported_rows") int importedRows, @JsonProperty("request_id") String requestId) {
    }

    /** One day of one ad's delivery, imported ({@code source} csv) or synced (the ad account connection's id). */
    record SpendLine(LocalDate date, String platform, @JsonProperty("campaign_id") String campaignId, String campaign,
                     @JsonProperty("ad_set_id") String adSetId, @JsonProperty("ad_set") String adSet,
                     @JsonProperty("ad_id") String adId, String ad, BigDecimal spend, String currency, long impressions,
                     long clicks, @JsonProperty("platform_conversions") double platformConversions,
                     @JsonProperty("platform_conversion_value") double platformConversionValue, String source) {
    }

    record SpendLines(List<SpendLine> data, @JsonProperty("request_id") String requestId) {
    }

    /** The fields a settings update reads; others are named in {@code warnings} and ignored. */
    static final java.util.Set<String> FIELDS = java.util.Set.of("lookback_days", "half_life_days", "conversion_events",
            "visit_timeout_minutes");

    /**
     * A partial update: fields left out keep their current value; conversion_events null means the default rule. Every
     * field that breaks its rule is named (one entry of {@code error.details} each), as {@code PUT …/settings} does.
     */
    static AttributionSettings parseSettings(Map<String, Object> body, AttributionSettings current) {
        List<FieldError> errors = new ArrayList<>();
        int lookback = whole(body, "lookback_days", current.lookbackDays(), errors);
        if (body.containsKey("lookback_days") && (lookback < 1 || lookback > AttributionSettings.MAX_LOOKBACK_DAYS)) {
            errors.add(new FieldError("lookback_days", FieldError.INVALID_VALUE,
                    "lookback_days must be between 1 and " + AttributionSettings.MAX_LOOKBACK_DAYS));
        }
        double halfLife = current.halfLifeDays();
        if (body.containsKey("half_life_days")) {
            if (body.get("half_life_days") instanceof Number n) {
                halfLife = n.doubleValue();
                if (!(halfLife > 0) || halfLife > 365) {
                    errors.add(new FieldError("half_life_days", FieldError.INVALID_VALUE, "half_life_days must be more than 0 and at most 365"));
                }
            } else {
                errors.add(new FieldError("half_life_days", FieldError.INVALID_TYPE, "half_life_days must be a number"));
            }
        }
        List<String> events = current.conversionEvents();
        if (body.containsKey("conversion_events")) {
            Object v = body.get("conversion_events");
            if (v == null) {
                events = null;
            } else if (v instanceof List<?> l && l.stream().allMatch(o -> o instanceof String)) {
                events = l.stream().map(o -> ((String) o).strip()).toList();
                List<String> unknown = events.stream().filter(e -> !EventNames.isCanonical(e)).distinct().toList();
                if (events.isEmpty()) {
                    errors.add(new FieldError("conversion_events", FieldError.INVALID_VALUE,
                            "name at least one conversion event, or null for every event except page views"));
                } else if (!unknown.isEmpty()) {
                    errors.add(new FieldError("conversion_events", FieldError.INVALID_VALUE, (unknown.size() == 1
                            ? "conversion event '" + unknown.get(0) + "' is not an accepted event name"
                            : "conversion events " + unknown.stream().map(e -> "'" + e + "'").collect(java.util.stream.Collectors.joining(", "))
                            + " are not accepted event names")));
                }
            } else {
                errors.add(new FieldError("conversion_events", FieldError.INVALID_TYPE, "conversion_events must be a list of event names or null"));
            }
        }
        int timeout = whole(body, "visit_timeout_minutes", current.visitTimeoutMinutes(), errors);
        if (body.containsKey("visit_timeout_minutes") && (timeout < 1 || timeout > 475)) {
            errors.add(new FieldError("visit_timeout_minutes", FieldError.INVALID_VALUE, "visit_timeout_minutes must be between 1 and 475"));
        }
        if (!errors.isEmpty()) throw ApiException.validation(errors);
        try {
            return new AttributionSettings(lookback, halfLife, events, timeout);
        } catch (IllegalArgumentException e) { // a rule checked above; kept so that no rule can answer a 500
            throw ApiException.invalidValue("body", e.getMessage());
        }
    }

    private static int whole(Map<String, Object> body, String name, int current, List<FieldError> errors) {
        if (!body.containsKey(name)) return current;
        Object v = body.get(name);
        if (v instanceof Integer i) return i;
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return l.intValue();
        errors.add(new FieldError(name, FieldError.INVALID_TYPE, name + " must be a whole number"));
        return current;
    }
}
