package io.touchpoint.server.attribution;

import io.javalin.http.Context;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.engine.EngineQuery;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.touchpoint.Platform;
import io.touchpoint.server.http.ApiException;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a report asks for beyond its {@link ReportQuery}: the window (null: the workspace's lookback;
 * {@link EngineQuery#LIFETIME}: every earlier touchpoint), the platform the source-specific models look at, and the
 * columns it is shaped with.
 */
record ReportOptions(Integer windowDays, String platform, ReportColumns columns) {
    static final ReportOptions DEFAULTS = new ReportOptions(null, null, ReportColumns.NONE);
    static final List<Integer> WINDOWS = List.of(1, 7, 14, 30, 60, 90);

    /** The {@code window} and {@code platform} parameters, checked against the models asked for. */
    static ReportOptions of(Context ctx, ReportQuery q) {
        return of(ctx::queryParam, q);
    }

    /** The same from any source of the report's parameters (a scheduled export's). */
    static ReportOptions of(UnaryOperator<String> param, ReportQuery q) {
        String w = param.apply("window");
        Integer window = null;
        if (w != null && !w.isBlank()) {
            if (w.equals("lifetime")) {
                window = EngineQuery.LIFETIME;
            } else {
                try {
                    window = Integer.valueOf(w.strip());
                } catch (NumberFormatException e) {
                    window = -1;
                }
                if (!WINDOWS.contains(window)) {
                    throw ApiException.invalidParameter("window", "window must be one of 1, 7, 14, 30, 60, 90 or lifetime");
                }
            }
        }
        String p = param.apply("platform");
        String platform = null;
        if (p != null && !p.isBlank()) {
            List<String> platforms = java.util.Arrays.stream(Platform.values()).filter(x -> x != Platform.NONE)
                    .map(Platform::wireName).toList();
            platform = p.strip();
            if (!platforms.contains(platform)) {
                throw ApiException.invalidParameter("platform", "platform must be one of " + String.join(", ", platforms));
            }
        }
        if (platform == null && q.models().stream().anyMatch(AttributionModel::needsPlatform)) {
            throw ApiException.invalidParameter("platform", "source_first_touch and source_last_touch need platform=meta, google, …");
        }
        return new ReportOptions(window, platform, ReportColumns.of(param, q));
    }

    /** The window's name as the parameter takes it, with the workspace's lookback for the default. */
    String windowName(int lookbackDays) {
        return windowDays == null ? String.valueOf(lookbackDays) : windowDays == EngineQuery.LIFETIME ? "lifetime" : windowDays.toString();
    }

    /**
     * Whether the report needs the report engine: a window other than the workspace's, a grouping the rollup does not
     * keep, event columns, or a model whose credits are not stored. The stored rollup answers every other report.
     */
    boolean needsEngine(ReportQuery q, int lookbackDays) {
        return windowDays != null && windowDays != lookbackDays || !GroupBy.STORED.contains(q.groupBy())
                || !columns.eventsToCount().isEmpty()
                || q.models().stream().anyMatch(m -> m.pathBased() && !m.ruleBased());
    }
}
