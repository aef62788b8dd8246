package io.touchpoint.server.adaccounts;

import io.touchpoint.core.adaccounts.AdAccount;
import io.touchpoint.core.admin.AdAccounts;
import io.touchpoint.core.adaccounts.AdPlatform;
import io.touchpoint.core.adaccounts.SpendConversion;
import io.touchpoint.core.adaccounts.SyncState;
import io.touchpoint.core.adaccounts.SyncStatus;
import io.touchpoint.core.model.Workspace;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.destinations.platforms.PlatformHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Syncs one ad account connection: reads the platform's report of a range of days, converts it to the workspace's
 * currency, replaces the connection's rows of those days in one transaction, and records how it went on the
 * connection. One sync per connection at a time; a refusal never leaves a day half replaced, since nothing is
 * stored before every page is read.
 */
public final class AdSync {
    private static final Logger LOG = LoggerFactory.getLogger(AdSync.class);
    private final Store store;
    private final AdAccounts accounts;
    private final AdSyncSettings settings;
    private final PlatformHttp http;
    private final RetryingCalls calls;
    private final Clock clock;
    private final Map<AdPlatform, Insights> platforms = new EnumMap<>(AdPlatform.class);
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    /** Another sync of the connection is under way. */
    public static final class Busy extends RuntimeException {
        Busy(String id) {
            super("a sync of " + id + " is already running");
        }
    }

    public AdSync(Store store, AdAccounts accounts, AdSyncSettings settings, PlatformHttp http, Clock clock) {
        this(store, accounts, settings, http, clock, Thread::sleep);
    }

    AdSync(Store store, AdAccounts accounts, AdSyncSettings settings, PlatformHttp http, Clock clock, RetryingCalls.Sleeper sleeper) {
        this.store = store;
        this.accounts = accounts;
        this.settings = settings;
        this.http = http;
        this.calls = new RetryingCalls(settings.retries(), settings.backoff(), sleeper);
        this.clock = clock;
        platforms.put(AdPlatform.META, new MetaInsights(http, calls, settings));
        platforms.put(AdPlatform.GOOGLE, new GoogleAdsInsights(http, calls, settings, clock));
        platforms.put(AdPlatform.TIKTOK, new TikTokInsights(http, calls, settings));
    }

    public AdSyncSettings settings() {
        return settings;
    }

    /** The days a sync reads unless told: the last {@code ad-sync.days}, today (in the workspace's time zone) included. */
    public LocalDate[] defaultRange(AdAccount a) {
        ZoneId zone = store.workspaces().byId(a.workspaceId()).map(w -> ZoneId.of(w.settings().timeZone()))
                .orElse(java.time.ZoneOffset.UTC);
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        return new LocalDate[]{today.minusDays(settings.days() - 1L), today};
    }

    /**
     * Syncs [from, to] now, in the calling thread, and answers how it ended.
     *
     * @throws Busy when the connection is syncing already
     */
    public SyncState sync(AdAccount a, LocalDate from, LocalDate to) {
        if (!running.add(a.id())) throw new Busy(a.id());
        SyncState state = SyncState.running(from, to, clock.instant());
        try {
            store.adAccounts().putSync(a.id(), state);
            state = run(a, from, to, state);
        } catch (RuntimeException e) {
            LOG.warn("ad account sync failed: account={} error={}", a.id(), e.toString());
            state = state.finished(SyncStatus.FAILED, "the sync failed: " + e.getMessage(), 0, clock.instant());
        } finally {
            running.remove(a.id());
        }
        store.adAccounts().putSync(a.id(), state);
        return state;
    }

    private SyncState run(AdAccount a, LocalDate from, LocalDate to, SyncState state) {
        Workspace ws = store.workspaces().byId(a.workspaceId()).orElseThrow();
        Insights.Report report;
        try {
            report = platforms.get(a.platform()).read(accounts.open(a), from, to);
        } catch (SyncRefused e) {
            SyncStatus status = switch (e.kind()) {
                case AUTH -> SyncStatus.AUTH_FAILED;
                case RATE_LIMIT -> SyncStatus.RATE_LIMITED;
                default -> SyncStatus.FAILED;
            };
            LOG.info("ad account sync refused: account={} platform={} status={}", a.id(), a.platform().wireName(), status.wireName());
            return state.finished(status, e.getMessage(), 0, clock.instant());
        }
        String target = ws.settings().currency();
        ExchangeRates rates = new ExchangeRates(http, calls, settings.ratesUrl(), from, to);
        SpendConversion.Converted c = SpendConversion.convert(from, to, report.currency(), report.rows(), target, rates);
        int rows = store.adAccounts().replaceDays(a.id(), c.days(), target);
        if (c.refused().isEmpty()) return state.finished(SyncStatus.OK, null, rows, clock.instant());
        List<LocalDate> refused = c.refused();
        String days = refused.size() == 1 ? refused.get(0).toString() : refused.size() + " days from " + refused.get(0)
                + " to " + refused.get(refused.size() - 1);
        return state.finished(SyncStatus.PARTIAL, "the account reports in " + report.currency() + " and the workspace counts in "
                + target + "; " + days + " not stored: " + rates.whyMissing(report.currency().toUpperCase(java.util.Locale.ROOT),
                target), rows, clock.instant());
    }
}
