package io.touchpoint.core.store;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.report.ConversionTotal;
import io.touchpoint.core.attribution.report.CreditCell;
import io.touchpoint.core.attribution.models.Journey;
import io.touchpoint.core.attribution.report.Receipt;
import io.touchpoint.core.attribution.report.ReportQuery;
import io.touchpoint.core.attribution.report.AdSpend;
import io.touchpoint.core.attribution.report.SpendRow;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.paths.ConversionPath;
import io.touchpoint.core.attribution.engine.FieldValues;
import io.touchpoint.core.attribution.engine.ReportRows;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Touchpoints, conversions and their stored credits, as the attribution stage
 * ({@link io.touchpoint.core.stage.AttributionStage}) keeps them current while events, merges and unmerges change
 * a profile's path; reports read what it stored.
 */
public interface AttributionStore {
    AttributionSettings settings(String workspaceId);

    void putSettings(String workspaceId, AttributionSettings settings);

    /** Stored credits of the query's rule-based models, per group (and day when daily). */
    List<CreditCell> credits(ReportQuery query);

    /** Conversions counted and valued per currency (and day when daily): the totals credits reconcile with. */
    List<ConversionTotal> totals(ReportQuery query);

    /**
     * The conversions behind one report row, newest first: each with the share its stored credits under the query's
     * rule-based model give the row's group, and the cursor of the next page.
     */
    Page<io.touchpoint.core.attribution.report.CreditedConversion> creditedConversions(
            io.touchpoint.core.attribution.report.CreditedConversionQuery query);

    /** Which of the events are conversions with stored credits (for the events log). */
    java.util.Set<String> conversionsAmong(String workspaceId, List<String> eventIds);

    /** The conversion's stored path and credits, or empty when the event is not a conversion (yet). */
    Optional<Receipt> receipt(String workspaceId, String eventId);

    /**
     * Streams the workspace's journeys for the data-driven models as groups of {@code groupBy} (as reports name
     * them, e.g. "Paid Social"): one converting journey per conversion whose day is in [from, to] (its touchpoints
     * in the lookback window, a Direct stand-in when none; 1 conversion, its value in the workspace's currency or 0)
     * and one non-converting journey per profile with touchpoints in the range after its last conversion.
     */
    void journeys(String workspaceId, LocalDate from, LocalDate to, List<String> eventNames, GroupBy groupBy,
                  Consumer<Journey> sink);

    /**
     * Streams the path of every conversion whose day is in [from, to] of the event names ({@code null}: all), as
     * {@link #journeys} picks its touchpoints (no stand-in: a conversion without any has no groups), with its own
     * value and currency: what the conversion paths report counts.
     */
    void conversionPaths(String workspaceId, LocalDate from, LocalDate to, List<String> eventNames, GroupBy groupBy,
                         Consumer<ConversionPath> sink);

    /**
     * Hands the report engine the workspace's rows, read in one snapshot, and answers the {@link #dataVersion()} they
     * are as of. With {@code afterVersion} below 0: every row, into {@code sinkFor.apply(null)}. Otherwise only the days
     * (in the workspace's time zone) whose data changed after that version, into {@code sinkFor.apply(thoseDays)}: each
     * day's conversions and the touchpoints that began on it, and every shape; when no day changed, nothing is read and
     * {@code sinkFor} is not called.
     */
    long reportRows(String workspaceId, long afterVersion,
                    Function<Set<LocalDate>, ReportRows> sinkFor);

    /**
     * Hands {@code sink} every stored conversion of the workspace whose event carries {@code custom_data.<field>} as a
     * JSON number, with that number: what the report engine averages ({@code average=field}). A conversion whose
     * field is missing, or a string, a boolean or an object, is not handed.
     */
    void conversionFieldValues(String workspaceId, String field, FieldValues sink);

    /** A stored Markov / Shapley result for {@code runKey}, as JSON, with when it was computed. */
    Optional<ModelRun> modelRun(String workspaceId, String runKey);

    void putModelRun(String workspaceId, String runKey, ModelRun run);

    /**
     * A stored data-driven result: when it was computed, the JSON, and the {@link #dataVersion()} read before the
     * journeys it was computed from ({@link #UNKNOWN_VERSION} for runs stored before versions were kept).
     */
    record ModelRun(Instant computedAt, String resultJson, long dataVersion) {
    }

    long UNKNOWN_VERSION = -1;

    /**
     * The version of the attribution data: raised by every commit that changes a conversion, its credits or a
     * touchpoint (the attribution stage's batches, an erasure). Read it before {@link #journeys}: a run computed from
     * them is then current as long as {@link #dataVersion(String, LocalDate, LocalDate)} of its range is not above it.
     */
    long dataVersion();

    /**
     * The {@link #dataVersion()} of the last commit that changed the data of a day in [from, to] of the workspace, in its
     * time zone (its conversions and their credits, its touchpoints, the profiles they belong to); 0 when none did.
     */
    long dataVersion(String workspaceId, LocalDate from, LocalDate to);

    /**
     * Committed events that are not in reports yet: those after the attribution stage's cursor (not resolved by the
     * identity stage, or resolved and not attributed) and those the identity or attribution stage set aside. Read
     * afresh, across workspaces.
     */
    long eventsNotAttributed();

    /** Adds or replaces daily spend rows (keyed by day, platform and campaign) in one transaction; returns the count. */
    int importSpend(String workspaceId, List<SpendRow> rows);

    /** Spend per group (platform or campaign) over the days, or per day and group when daily; keys as in reports. */
    Map<LocalDate, Map<String, Double>> spend(String workspaceId, LocalDate from, LocalDate to, GroupBy groupBy, boolean daily);

    List<SpendRow> spendRows(String workspaceId, LocalDate from, LocalDate to);

    /** Every ad delivery row of the workspace whose day is in [from, to], synced and imported, ordered by day. */
    List<AdSpend> adSpend(String workspaceId, LocalDate from, LocalDate to);

    /**
     * Everything a report shows, read in one transaction so that its figures come from one state of the data: what
     * {@link #credits}, {@link #totals} and {@link #spend} answer for the whole range and, when the query is daily, per
     * day; the data-driven run stored under {@code runKey} (null: none asked for) with the range's
     * {@link #dataVersion(String, LocalDate, LocalDate)}, which says whether it is stale; and
     * {@link #eventsNotAttributed()}, which then counts exactly the events the report does not hold.
     */
    ReportData report(ReportQuery query, String runKey);

    /** What {@link #report} read; the daily parts are empty unless the query is daily, spend is empty without any. */
    record ReportData(List<CreditCell> credits, List<ConversionTotal> totals, Map<String, Double> spend,
                      List<CreditCell> dailyCredits, List<ConversionTotal> dailyTotals,
                      Map<LocalDate, Map<String, Double>> dailySpend, Optional<ModelRun> modelRun, long rangeVersion,
                      long eventsNotAttributed) {
    }
}
