package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.AttributionStore;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * The reports a dashboard opens with, asked once a workspace's index is read at start, so that the first report a
 * person asks for finds the rollup's and the engine's code compiled rather than paying the cold JIT (seconds at a
 * million conversions). They are real reports over the workspace's data, the last 30 days by channel; their answers
 * are dropped. The data-driven models are left out: asking for them would queue runs no one waits for. Each waits
 * for the report requests being answered, which compile the same code meanwhile.
 */
final class ReportWarmUp {
    /** Rounds of each report: the engine's loops are compiled while the first runs, its methods by the later ones. */
    static final int ROUNDS = 3;
    private static final List<AttributionModel> RULE_BASED = Arrays.stream(AttributionModel.values())
            .filter(AttributionModel::ruleBased).toList();

    private ReportWarmUp() {
    }

    /**
     * Asks the stored rollup's report and the engine's (a 7-day window, or 14 when 7 is the workspace's)
     * {@link #ROUNDS} times.
     */
    static void warm(AttributionStore store, DataDrivenRuns runs, ReportIndexes indexes, Workspace ws) {
        LocalDate today = runs.today(ws);
        ReportQuery q = new ReportQuery(ws.id(), today.minusDays(DataDrivenRuns.SCHEDULED_DAYS - 1), today, GroupBy.CHANNEL,
                RULE_BASED, null, false);
        int lookback = store.settings(ws.id()).lookbackDays();
        ReportOptions engine = new ReportOptions(lookback == 7 ? 14 : 7, null, ReportColumns.NONE);
        for (int i = 0; i < ROUNDS; i++) {
            indexes.giveWay();
            Reports.read(store, runs, indexes, ws, q, ReportOptions.DEFAULTS, false);
            indexes.giveWay();
            Reports.read(store, runs, indexes, ws, q, engine, false);
        }
    }
}
