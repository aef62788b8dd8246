package io.touchpoint.storage.jdbc.adaccounts;

import io.touchpoint.core.adaccounts.AdAccount;
import io.touchpoint.core.adaccounts.AdPlatform;
import io.touchpoint.core.adaccounts.SyncState;
import io.touchpoint.core.adaccounts.SyncStatus;
import io.touchpoint.core.attribution.report.AdSpend;
import io.touchpoint.core.store.AdAccountStore;
import io.touchpoint.storage.jdbc.sql.JdbcDatabase;
import io.touchpoint.storage.jdbc.sql.JsonColumns;
import io.touchpoint.storage.jdbc.sql.Rows;
import io.touchpoint.storage.jdbc.sql.Sql;
import io.touchpoint.storage.jdbc.sql.StatementCache;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Ad account connections over SQL, and the days of ad delivery their syncs replace in {@code ad_delivery}. */
public final class JdbcAdAccountStore implements AdAccountStore {
    private static final String COLUMNS = "id, workspace_id, platform, name, account_id, settings, sealed_secrets, enabled,"
            + " created_at, updated_at, sync_status, sync_message, sync_rows, sync_from, sync_to, sync_started_at, sync_finished_at";
    private final JdbcDatabase db;

    public JdbcAdAccountStore(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public void create(AdAccount a) {
        SyncState s = a.lastSync();
        Sql.update(db, "INSERT INTO ad_accounts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                a.id(), a.workspaceId(), a.platform().wireName(), a.name(), a.accountId(), JsonColumns.map(a.settings()),
                a.sealedSecrets(), a.enabled() ? 1 : 0, a.createdAt(), a.updatedAt(), s.status().wireName(), s.message(),
                s.rows(), day(s.from()), day(s.to()), s.startedAt(), s.finishedAt());
    }

    @Override
    public Optional<AdAccount> find(String id) {
        return Sql.one(db, "SELECT " + COLUMNS + " FROM ad_accounts WHERE id = ?", JdbcAdAccountStore::account, id);
    }

    @Override
    public List<AdAccount> list(String workspaceId) {
        return Sql.list(db, "SELECT " + COLUMNS + " FROM ad_accounts WHERE workspace_id = ? ORDER BY created_at, id",
                JdbcAdAccountStore::account, workspaceId);
    }

    @Override
    public List<AdAccount> enabled() {
        return Sql.list(db, "SELECT " + COLUMNS + " FROM ad_accounts WHERE enabled = 1 ORDER BY created_at, id",
                JdbcAdAccountStore::account);
    }

    @Override
    public boolean update(AdAccount a) {
        return Sql.update(db, "UPDATE ad_accounts SET name = ?, account_id = ?, settings = ?, sealed_secrets = ?, enabled = ?,"
                        + " updated_at = ? WHERE id = ?", a.name(), a.accountId(), JsonColumns.map(a.settings()),
                a.sealedSecrets(), a.enabled() ? 1 : 0, a.updatedAt(), a.id()) > 0;
    }

    @Override
    public boolean delete(String id) {
        return db.write(c -> {
            Rows.update(c, "DELETE FROM ad_delivery WHERE source = ?", id);
            return Rows.update(c, "DELETE FROM ad_accounts WHERE id = ?", id) > 0;
        });
    }

    @Override
    public void putSync(String id, SyncState s) {
        Sql.update(db, "UPDATE ad_accounts SET sync_status = ?, sync_message = ?, sync_rows = ?, sync_from = ?, sync_to = ?,"
                        + " sync_started_at = ?, sync_finished_at = ? WHERE id = ?", s.status().wireName(), s.message(), s.rows(),
                day(s.from()), day(s.to()), s.startedAt(), s.finishedAt(), id);
    }

    @Override
    public int replaceDays(String accountId, Map<LocalDate, List<AdSpend>> days, String currency) {
        long now = System.currentTimeMillis();
        return db.write(c -> {
            String workspaceId = null;
            try (StatementCache st = new StatementCache(c)) {
                for (Object[] r : st.list("SELECT workspace_id FROM ad_accounts WHERE id = ?", rs -> new Object[]{rs.getString(1)}, accountId)) {
                    workspaceId = (String) r[0];
                }
                if (workspaceId == null) return 0; // removed while it synced: its rows went with it
                int n = 0;
                for (Map.Entry<LocalDate, List<AdSpend>> day : days.entrySet()) {
                    st.update("DELETE FROM ad_delivery WHERE workspace_id = ? AND source = ? AND day = ?", workspaceId,
                            accountId, day.getKey().toString());
                    for (AdSpend r : day.getValue()) {
                        st.update("INSERT INTO ad_delivery (workspace_id, source, day, platform, campaign_id, campaign, ad_set_id,"
                                        + " ad_set, ad_id, ad, spend, currency, impressions, clicks, platform_conversions,"
                                        + " platform_conversion_value, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                workspaceId, accountId, day.getKey().toString(), r.platform(), r.campaignId(), r.campaign(),
                                r.adSetId(), key(r.adSet()), key(r.adId()), key(r.ad()), r.spend(), currency, r.impressions(),
                                r.clicks(), r.platformConversions(), r.platformConversionValue(), now);
                        n++;
                    }
                }
                return n;
            }
        });
    }

    private static String key(String s) {
        return s == null ? "" : s;
    }

    private static String day(LocalDate d) {
        return d == null ? null : d.toString();
    }

    private static LocalDate day(String s) {
        return s == null ? null : LocalDate.parse(s);
    }

    private static AdAccount account(ResultSet rs) throws SQLException {
        SyncState sync = new SyncState(SyncStatus.fromWireName(rs.getString("sync_status")), rs.getString("sync_message"),
                rs.getInt("sync_rows"), day(rs.getString("sync_from")), day(rs.getString("sync_to")),
                Rows.instant(rs, "sync_started_at"), Rows.instant(rs, "sync_finished_at"));
        return new AdAccount(rs.getString("id"), rs.getString("workspace_id"),
                AdPlatform.fromWireName(rs.getString("platform")).orElseThrow(), rs.getString("name"),
                rs.getString("account_id"), JsonColumns.map(rs.getString("settings")), rs.getString("sealed_secrets"),
                rs.getInt("enabled") == 1, Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"), sync);
    }
}
