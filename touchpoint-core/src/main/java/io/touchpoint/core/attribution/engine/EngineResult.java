package io.touchpoint.core.attribution.engine;

import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.attribution.report.ConversionTotal;
import io.touchpoint.core.attribution.report.CreditCell;

import java.util.List;

/**
 * The engine's answer in the shape the stored rollup has: credits per group, model and currency and the conversion
 * totals they reconcile with, for the whole range and (empty unless asked for) per day; and, for each field column
 * it was given, the credit-weighted sums behind each group's and model's average.
 */
public record EngineResult(List<CreditCell> credits, List<ConversionTotal> totals, List<CreditCell> dailyCredits,
                           List<ConversionTotal> dailyTotals, List<FieldCell> fields) {
    public EngineResult(List<CreditCell> credits, List<ConversionTotal> totals, List<CreditCell> dailyCredits,
                        List<ConversionTotal> dailyTotals) {
        this(credits, totals, dailyCredits, dailyTotals, List.of());
    }

    /**
     * One field's figures in a group under a model, over the conversions that carry it: the sum of credit × value and
     * the sum of credit; their ratio is the group's average (none when the credit is 0).
     *
     * @param field the field's position in the columns the engine was given
     */
    public record FieldCell(String group, AttributionModel model, int field,
                            double weightedSum, double credit) {
        /** sum(credit × value) / sum(credit), or null when no credited conversion carries the field. */
        public Double average() {
            return credit == 0 ? null : weightedSum / credit;
        }
    }
}
