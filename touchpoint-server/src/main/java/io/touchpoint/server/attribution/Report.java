package io.touchpoint.server.attribution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * An attribution report as it is answered: its JSON is these records as they are (field names as the API names them,
 * null where a figure is undefined), and its CSV ({@link ReportCsv}) is written from the same rows.
 *
 * @param eventNames null when every conversion counts
 * @param window     the days before a conversion its touchpoints count ("lifetime": any time before it)
 * @param platform   the platform the source-specific models look at, when asked for
 * @param series     the days of the range, each with the rule-based models only; absent unless asked for per day
 */
public record Report(@JsonProperty("workspace_id") String workspaceId, LocalDate from, LocalDate to,
                     @JsonProperty("group_by") String groupBy, String currency, List<String> models,
                     @JsonProperty("event_names") List<String> eventNames, String window,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String platform, Totals totals, List<Row> rows,
                     @JsonInclude(JsonInclude.Include.NON_NULL) List<Day> series,
                     @JsonProperty("data_driven") DataDriven dataDriven) {

    /** The same report with other rows (shaped by {@link ReportColumns}). */
    Report withRows(List<Row> shaped) {
        return new Report(workspaceId, from, to, groupBy, currency, models, eventNames, window, platform, totals, shaped,
                series, dataDriven);
    }

    /**
     * One group's figures under each model, keyed by the model's wire name in the report's order of models; with
     * {@code group_by=ad_set} or {@code ad}, where the group sits in its platform's structure (absent otherwise, and for
     * an id no delivery row names).
     */
    public record Row(String group, Map<String, Figures> models,
                      @JsonInclude(JsonInclude.Include.NON_NULL) AdLine ad) {
        public Row(String group, Map<String, Figures> models) {
            this(group, models, null);
        }
    }

    /**
     * An ad set's or ad's place and names as its platform reports them, and the platform's own figures over the range:
     * its delivery and the conversions it counted itself, beside Touchpoint's attributed ones.
     */
    public record AdLine(String platform, @JsonProperty("campaign_id") String campaignId, String campaign,
                         @JsonProperty("ad_set_id") String adSetId, @JsonProperty("ad_set") String adSet,
                         @JsonProperty("ad_id") @JsonInclude(JsonInclude.Include.NON_NULL) String adId,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String ad, long impressions, long clicks,
                         @JsonProperty("platform_conversions") double platformConversions,
                         @JsonProperty("platform_conversion_value") double platformConversionValue) {
    }

    /**
     * One model's figures for one group, rounded. The ratios are null where they are undefined rather than 0: cost per
     * conversion needs spend and conversions (a campaign that spent without converting has none, and one without spend
     * did not get its conversions for free), ROAS needs spend. {@code cost} is null when the grouping has no spend.
     */
    public record Figures(double conversions, double revenue, Double cost,
                          @JsonProperty("cost_per_conversion") Double costPerConversion, Double roas,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, EventFigures> events,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> averages) {
        static Figures of(double conversions, double revenue, Double cost) {
            return of(conversions, revenue, cost, conversions, revenue, null);
        }

        /**
         * The same figures with the averages of the fields asked for ({@code average=…}): each field's credit-weighted
         * average over the row's conversions that carry it, null where none does.
         */
        Figures withAverages(Map<String, Double> of) {
            return new Figures(conversions, revenue, cost, costPerConversion, roas, events, of);
        }

        /**
         * With {@code value_event}, cost per conversion and ROAS are on that event's credited conversions and revenue
         * ({@code ratioConversions}, {@code ratioRevenue}); otherwise on the row's.
         */
        static Figures of(double conversions, double revenue, Double cost, double ratioConversions, double ratioRevenue,
                          Map<String, EventFigures> events) {
            boolean spent = cost != null && ReportView.round(cost) > 0;
            return new Figures(ReportView.round(conversions), ReportView.round(revenue),
                    cost == null ? null : ReportView.round(cost),
                    spent && ReportView.round(ratioConversions) > 0 ? ReportView.round(cost / ratioConversions) : null,
                    spent ? ReportView.round(ratioRevenue / cost) : null, events, null);
        }
    }

    /** One event's credited conversions and revenue in a row, under one model ({@code events=…}). */
    public record EventFigures(double conversions, double revenue) {
    }

    /** Conversions of every currency, revenue in the workspace's, and revenue in others apart (absent when none). */
    public record Totals(long conversions, double revenue,
                         @JsonProperty("revenue_other_currencies") @JsonInclude(JsonInclude.Include.NON_NULL)
                         Map<String, Double> revenueOtherCurrencies) {
    }

    public record Day(LocalDate date, Totals totals, List<Row> rows) {
    }

    /**
     * The data-driven run the report shows: when it was computed (null: none for this range yet), whether data of its
     * range changed since ({@code stale}) and whether the background worker is computing it afresh.
     */
    public record DataDriven(@JsonProperty("computed_at") Instant computedAt, boolean stale, boolean recomputing) {
        static final DataDriven NONE = new DataDriven(null, false, false);
    }
}
