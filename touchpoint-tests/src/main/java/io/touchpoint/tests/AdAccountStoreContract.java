package io.touchpoint.tests;

import io.touchpoint.core.adaccounts.AdAccount;
import io.touchpoint.core.adaccounts.AdPlatform;
import io.touchpoint.core.adaccounts.SyncState;
import io.touchpoint.core.adaccounts.SyncStatus;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.report.AdSpend;
import io.touchpoint.core.attribution.report.SpendRow;
import io.touchpoint.core.model.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Ad account connections, their last sync, and the days of delivery a sync replaces beside the imported spend. */
public abstract class AdAccountStoreContract extends StoreContract {
    private static final LocalDate DAY0 = LocalDate.of(2026, 3, 2);
    private Workspace ws;

    @BeforeEach
    void workspace() {
        ws = Fixtures.workspace("ads");
        store.workspaces().create(ws);
    }

    private AdAccount account(String id, boolean enabled) {
        return new AdAccount(id, ws.id(), AdPlatform.META, "Meta " + id, "123", Map.of("conversion_action", "purchase"),
                "tps1:k:sealed", enabled, Fixtures.T0, Fixtures.T0, SyncState.NEVER);
    }

    private static AdSpend row(LocalDate day, String adId, double spend) {
        return new AdSpend(day, "meta", "c1", "spring", "s1", "retargeting", adId, "ad " + adId, spend, 100, 7, 2, 50, null);
    }

    @Test
    void connectionsAreStoredChangedListedAndRemoved() {
        store.adAccounts().create(account("ada_1", true));
        store.adAccounts().create(account("ada_2", false));
        assertThat(store.adAccounts().list(ws.id())).extracting(AdAccount::id).containsExactly("ada_1", "ada_2");
        assertThat(store.adAccounts().enabled()).extracting(AdAccount::id).containsExactly("ada_1");
        AdAccount found = store.adAccounts().find("ada_1").orElseThrow();
        assertThat(found.settings()).containsEntry("conversion_action", "purchase");
        assertThat(found.sealedSecrets()).isEqualTo("tps1:k:sealed");
        assertThat(found.lastSync()).isEqualTo(SyncState.NEVER);

        AdAccount renamed = new AdAccount("ada_1", ws.id(), AdPlatform.META, "renamed", "456", Map.of(), "tps1:k:other", false,
                Fixtures.T0, Fixtures.T0.plusSeconds(5), SyncState.NEVER);
        assertThat(store.adAccounts().update(renamed)).isTrue();
        assertThat(store.adAccounts().find("ada_1").orElseThrow()).satisfies(a -> {
            assertThat(a.name()).isEqualTo("renamed");
            assertThat(a.accountId()).isEqualTo("456");
            assertThat(a.settings()).isEmpty();
            assertThat(a.enabled()).isFalse();
            assertThat(a.updatedAt()).isEqualTo(Fixtures.T0.plusSeconds(5));
        });
        assertThat(store.adAccounts().delete("ada_1")).isTrue();
        assertThat(store.adAccounts().delete("ada_1")).isFalse();
        assertThat(store.adAccounts().find("ada_1")).isEmpty();
    }

    @Test
    void theLastSyncIsKeptBesideTheConnectionAndAChangeLeavesIt() {
        store.adAccounts().create(account("ada_1", true));
        Instant at = Fixtures.T0.plusSeconds(60);
        SyncState done = SyncState.running(DAY0, DAY0.plusDays(6), at)
                .finished(SyncStatus.AUTH_FAILED, "Error validating access token", 0, at.plusSeconds(2));
        store.adAccounts().putSync("ada_1", done);
        assertThat(store.adAccounts().find("ada_1").orElseThrow().lastSync()).isEqualTo(done);
        store.adAccounts().update(account("ada_1", true));
        assertThat(store.adAccounts().find("ada_1").orElseThrow().lastSync()).isEqualTo(done);
    }

    @Test
    void aSyncReplacesItsDaysWholeAndLeavesOtherDaysAndTheImportedSpend() {
        store.adAccounts().create(account("ada_1", true));
        store.attribution().importSpend(ws.id(), List.of(new SpendRow(DAY0, "google", "brand", new BigDecimal("3"), "EUR")));
        Map<LocalDate, List<AdSpend>> first = new LinkedHashMap<>();
        first.put(DAY0, List.of(row(DAY0, "a1", 10), row(DAY0, "a2", 5)));
        first.put(DAY0.plusDays(1), List.of(row(DAY0.plusDays(1), "a1", 8)));
        assertThat(store.adAccounts().replaceDays("ada_1", first, "EUR")).isEqualTo(3);

        Map<LocalDate, List<AdSpend>> restated = new LinkedHashMap<>();
        restated.put(DAY0, List.of(row(DAY0, "a1", 12)));
        assertThat(store.adAccounts().replaceDays("ada_1", restated, "EUR")).isEqualTo(1);

        List<AdSpend> rows = store.attribution().adSpend(ws.id(), DAY0, DAY0.plusDays(1));
        assertThat(rows).extracting(AdSpend::source).containsExactly("csv", "ada_1", "ada_1");
        AdSpend synced = rows.get(1);
        assertThat(synced.spend()).as("the restated day replaced whole: a2 is gone").isEqualTo(12.0);
        assertThat(synced.adId()).isEqualTo("a1");
        assertThat(synced.ad()).isEqualTo("ad a1");
        assertThat(synced.adSet()).isEqualTo("retargeting");
        assertThat(synced.campaignId()).isEqualTo("c1");
        assertThat(synced.impressions()).isEqualTo(100);
        assertThat(synced.clicks()).isEqualTo(7);
        assertThat(synced.platformConversions()).isEqualTo(2.0);
        assertThat(synced.platformConversionValue()).isEqualTo(50.0);
        assertThat(rows.get(2).day()).as("a day not synced again keeps its rows").isEqualTo(DAY0.plusDays(1));
        assertThat(store.attribution().spend(ws.id(), DAY0, DAY0.plusDays(1), GroupBy.PLATFORM, false).get(null))
                .containsEntry("meta", 20.0).containsEntry("google", 3.0);
        assertThat(store.attribution().spend(ws.id(), DAY0, DAY0, GroupBy.CAMPAIGN, false).get(null))
                .as("synced spend matches campaigns by name, as imported spend does").containsEntry("spring", 12.0);
    }

    @Test
    void removingAConnectionTakesItsRowsAndAnEmptyDayClearsOne() {
        store.adAccounts().create(account("ada_1", true));
        store.adAccounts().replaceDays("ada_1", Map.of(DAY0, List.of(row(DAY0, "a1", 10))), "EUR");
        store.adAccounts().replaceDays("ada_1", Map.of(DAY0, List.of()), "EUR");
        assertThat(store.attribution().adSpend(ws.id(), DAY0, DAY0)).isEmpty();
        store.adAccounts().replaceDays("ada_1", Map.of(DAY0, List.of(row(DAY0, "a1", 10))), "EUR");
        store.adAccounts().delete("ada_1");
        assertThat(store.attribution().adSpend(ws.id(), DAY0, DAY0)).isEmpty();
        assertThat(store.adAccounts().replaceDays("ada_1", Map.of(DAY0, List.of(row(DAY0, "a1", 10))), "EUR"))
                .as("a sync finishing after its connection was removed stores nothing").isZero();
        assertThat(store.attribution().adSpend(ws.id(), DAY0, DAY0)).isEmpty();
    }
}
