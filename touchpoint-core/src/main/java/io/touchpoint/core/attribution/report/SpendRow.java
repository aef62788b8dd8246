package io.touchpoint.core.attribution.report;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One day's imported ad spend on one platform's campaign ({@code platform} as a Platform wire name), down to the ad
 * set and ad when the file names them; a level or id the file leaves out is null.
 */
public record SpendRow(LocalDate day, String platform, String campaignId, String campaign, String adSetId, String adSet,
                       String adId, String ad, BigDecimal spend, String currency) {
    /** A campaign-level row, as a file without ad set and ad columns gives it. */
    public SpendRow(LocalDate day, String platform, String campaign, BigDecimal spend, String currency) {
        this(day, platform, null, campaign, null, null, null, null, spend, currency);
    }
}
