package io.touchpoint.core.store;

import io.touchpoint.core.adaccounts.AdAccount;
import io.touchpoint.core.adaccounts.SyncState;
import io.touchpoint.core.attribution.report.AdSpend;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ad account connections (docs/AD_ACCOUNTS.md) and the delivery rows their syncs store, which
 * {@link AttributionStore#adSpend} reads beside the imported ones.
 */
public interface AdAccountStore {
    /** Stores a new connection (its id chosen by the caller). */
    void create(AdAccount account);

    Optional<AdAccount> find(String id);

    /** The workspace's connections, oldest first. */
    List<AdAccount> list(String workspaceId);

    /** Every enabled connection of every workspace: what the daily sync walks. */
    List<AdAccount> enabled();

    /** Replaces the stored connection of the same id, its last sync aside; false when there is none. */
    boolean update(AdAccount account);

    /** Removes the connection and the rows it synced, in one transaction; false when there was none. */
    boolean delete(String id);

    /** Records how the connection's sync stands. */
    void putSync(String id, SyncState sync);

    /**
     * Replaces the rows the connection synced for each day given with the day's rows (in {@code currency}, the
     * workspace's), every day in one transaction: a failure leaves every day as it was. Returns the rows stored.
     */
    int replaceDays(String accountId, Map<LocalDate, List<AdSpend>> days, String currency);
}
