-- Schema version 20: ad account connections and the ad delivery they sync. An ad account connection reads one Meta
-- ad account, Google Ads customer or TikTok advertiser; its tokens are sealed like the destinations' (sealed_secrets
-- is SecretBox's text) and its last sync is kept beside it. Times are epoch milliseconds (UTC).
CREATE TABLE ad_accounts (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
    platform         TEXT NOT NULL,
    name             TEXT NOT NULL,
    account_id       TEXT NOT NULL,
    settings         TEXT NOT NULL,
    sealed_secrets   TEXT NOT NULL,
    enabled          INTEGER NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    sync_status      TEXT NOT NULL,
    sync_message     TEXT,
    sync_rows        INTEGER NOT NULL,
    sync_from        TEXT,
    sync_to          TEXT,
    sync_started_at  BIGINT,
    sync_finished_at BIGINT
);
CREATE INDEX ad_accounts_workspace ON ad_accounts (workspace_id, created_at);

-- one day of one ad's delivery in the workspace's currency, imported (source 'csv') or synced (source: the ad account
-- connection's id). A level nobody named is '' in the key columns (ad_set, ad, ad_id) so that the key is one row;
-- reads answer it as absent. A sync replaces a connection's day whole; an import adds or replaces its rows.
CREATE TABLE ad_delivery (
    workspace_id              TEXT NOT NULL,
    source                    TEXT NOT NULL,
    day                       TEXT NOT NULL,
    platform                  TEXT NOT NULL,
    campaign_id               TEXT,
    campaign                  TEXT NOT NULL,
    ad_set_id                 TEXT,
    ad_set                    TEXT NOT NULL,
    ad_id                     TEXT NOT NULL,
    ad                        TEXT NOT NULL,
    spend                     DOUBLE PRECISION NOT NULL,
    currency                  TEXT NOT NULL,
    impressions               BIGINT NOT NULL,
    clicks                    BIGINT NOT NULL,
    platform_conversions      DOUBLE PRECISION NOT NULL,
    platform_conversion_value DOUBLE PRECISION NOT NULL,
    imported_at               BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, source, day, platform, campaign, ad_set, ad, ad_id)
);
CREATE INDEX ad_delivery_day ON ad_delivery (workspace_id, day);

INSERT INTO ad_delivery (workspace_id, source, day, platform, campaign, ad_set, ad_id, ad, spend, currency, impressions,
                         clicks, platform_conversions, platform_conversion_value, imported_at)
SELECT workspace_id, 'csv', day, platform, campaign, '', '', '', spend, currency, 0, 0, 0, 0, imported_at FROM ad_spend;
DROP TABLE ad_spend;
