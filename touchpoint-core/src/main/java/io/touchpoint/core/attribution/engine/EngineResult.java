package io.touchpoint.core.attribution.engine;

import io.touchpoint.core.attribution.report.ConversionTotal;
import io.touchpoint.core.attribution.report.CreditCell;

import java.util.List;

/**
 * The engine's answer in the shape the stored rollup has: credits per group, model and currency and the conversion
 * totals they reconcile with, for the whole range and (empty unless asked for) per day.
 */
public record EngineResult(List<CreditCell> credits, List<ConversionTotal> totals, List<CreditCell> dailyCredits,
                           List<ConversionTotal> dailyTotals) {
}
