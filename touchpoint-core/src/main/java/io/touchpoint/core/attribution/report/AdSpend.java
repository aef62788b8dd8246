package io.touchpoint.core.attribution.report;

import java.time.LocalDate;

/**
 * One day of one ad's delivery as its platform (or an imported file) reports it, in the workspace's currency. The
 * structure runs campaign → ad set → ad; a level the source does not know is null (an imported file naming only the
 * campaign has no ad set or ad, and no ids). {@code platform} is a Platform wire name; {@code source} says where the row
 * came from ({@code csv}, or the ad account connection that synced it). The platform's own conversion figures sit beside
 * Touchpoint's attributed ones in reports.
 */
public record AdSpend(LocalDate day, String platform, String campaignId, String campaign, String adSetId, String adSet,
                      String adId, String ad, double spend, long impressions, long clicks, double platformConversions,
                      double platformConversionValue, String source) {
}
