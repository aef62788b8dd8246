package io.touchpoint.core.attribution.report;

import java.time.LocalDate;

/**
 * How many conversions there were and what they were worth, per currency ("" for conversions without a value),
 * on one day (null for the whole range): what every model's credits must add up to.
 */
public record ConversionTotal(LocalDate day, String currency, long conversions, double value) {
}
