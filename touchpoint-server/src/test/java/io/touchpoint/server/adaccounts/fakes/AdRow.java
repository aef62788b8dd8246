package io.touchpoint.server.adaccounts.fakes;

import java.time.LocalDate;

/** One ad's delivery on one day as a fake platform holds it, in the account's currency. */
public record AdRow(LocalDate day, String campaignId, String campaign, String adSetId, String adSet, String adId, String ad,
                   String spend, long impressions, long clicks, String conversions, String conversionValue) {
}
