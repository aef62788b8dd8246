package io.touchpoint.core.attribution.report;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One day's ad spend on one platform's campaign ({@code platform} as a Platform wire name). */
public record SpendRow(LocalDate day, String platform, String campaign, BigDecimal spend, String currency) {
}
