package io.touchpoint.server.adaccounts;

import io.touchpoint.core.admin.AdAccounts;
import io.touchpoint.core.attribution.report.AdSpend;

import java.time.LocalDate;
import java.util.List;

/** A platform's delivery report of one ad account: per day and ad, in the account's currency. */
interface Insights {
    /** The rows and their currency (null when the account reported no rows and so no currency). */
    record Report(String currency, List<AdSpend> rows) {
    }

    /**
     * Every day of [from, to] the platform reports for the account, all pages read.
     *
     * @throws SyncRefused when the platform refuses (after retries where waiting helps)
     */
    Report read(AdAccounts.Opened account, LocalDate from, LocalDate to);
}
