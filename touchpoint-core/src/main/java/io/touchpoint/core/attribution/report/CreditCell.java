package io.touchpoint.core.attribution.report;

import io.touchpoint.core.attribution.models.AttributionModel;

import java.time.LocalDate;

/** Credited conversions and revenue of one group under one model (on one day, when the report is daily). */
public record CreditCell(LocalDate day, String group, AttributionModel model, String currency,
                         double conversions, double revenue) {
}
