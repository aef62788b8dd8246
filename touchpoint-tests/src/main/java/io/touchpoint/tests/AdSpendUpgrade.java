package io.touchpoint.tests;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.report.AdSpend;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.Store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade both stores must make alike: spend imported before ad account connections (campaign level, in the old
 * table) reads, once migrated, as imported rows of the same days, platforms, campaigns and amounts.
 */
public final class AdSpendUpgrade {
    /** The migration that added ad account connections and moved the imported spend. */
    public static final String MIGRATION = "ad_accounts";
    private static final LocalDate DAY = LocalDate.of(2026, 1, 5);

    public final Workspace workspace = Fixtures.workspace("before-ad-accounts");

    public void writeBeforeAdAccounts(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO workspaces (id, name, pixel_key, created_at, time_zone,"
                + " currency, phone_region, rate_limit_per_minute) VALUES (?, ?, ?, 1, 'UTC', 'EUR', 'FR', 1000)")) {
            ps.setString(1, workspace.id());
            ps.setString(2, workspace.name());
            ps.setString(3, workspace.pixelKey());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ad_spend (workspace_id, day, platform, campaign, spend,"
                + " currency, imported_at) VALUES (?, ?, ?, ?, ?, 'EUR', 5)")) {
            for (Object[] r : List.<Object[]>of(new Object[]{"meta", "spring", 20.5}, new Object[]{"google", "brand", 7.0})) {
                ps.setString(1, workspace.id());
                ps.setString(2, DAY.toString());
                ps.setString(3, (String) r[0]);
                ps.setString(4, (String) r[1]);
                ps.setDouble(5, (Double) r[2]);
                ps.executeUpdate();
            }
        }
    }

    public void assertImportedSpendKept(Store store) {
        List<AdSpend> rows = store.attribution().adSpend(workspace.id(), DAY, DAY);
        assertThat(rows).extracting(AdSpend::platform, AdSpend::campaign, AdSpend::spend, AdSpend::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("google", "brand", 7.0, "csv"),
                        org.assertj.core.groups.Tuple.tuple("meta", "spring", 20.5, "csv"));
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.adSet()).isNull();
            assertThat(r.ad()).isNull();
            assertThat(r.adId()).isNull();
        });
        assertThat(store.attribution().spend(workspace.id(), DAY, DAY, GroupBy.CAMPAIGN, false).get(null))
                .containsEntry("spring", 20.5).containsEntry("brand", 7.0);
    }
}
