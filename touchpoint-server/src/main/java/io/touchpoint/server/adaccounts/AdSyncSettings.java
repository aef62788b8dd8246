package io.touchpoint.server.adaccounts;

import java.net.URI;
import java.time.Duration;

/**
 * How ad accounts are synced, from the {@code ad-sync.*} and {@code currency.*} settings (docs/CONFIGURATION.md).
 *
 * @param days           how many days back each sync reads, today included: platforms restate recent days
 * @param intervalHours  hours between a connection's scheduled syncs; 0 turns the schedule off
 * @param retries        how many times a rate-limited or failed request is tried again within one sync
 * @param backoff        the first wait before such a retry; each next one doubles it (a platform's Retry-After wins)
 * @param metaUrl        the Meta Graph API's base address
 * @param metaVersion    the Graph API version, e.g. v24.0
 * @param googleUrl      the Google Ads API's base address
 * @param googleVersion  the Google Ads API version, e.g. v22
 * @param googleTokenUrl where a Google OAuth refresh token is exchanged for an access token
 * @param tiktokUrl      the TikTok Business API's base address
 * @param ratesUrl       a Frankfurter-compatible exchange-rate service, or null: no conversion, so an account in
 *                       another currency than its workspace's is refused
 */
public record AdSyncSettings(int days, int intervalHours, int retries, Duration backoff, URI metaUrl, String metaVersion,
                             URI googleUrl, String googleVersion, URI googleTokenUrl, URI tiktokUrl, URI ratesUrl) {
    public static final int MAX_DAYS = 90;
}
