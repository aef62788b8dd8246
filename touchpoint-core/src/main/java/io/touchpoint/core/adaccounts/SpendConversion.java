package io.touchpoint.core.adaccounts;

import io.touchpoint.core.attribution.report.AdSpend;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Puts a synced range of delivery rows, in the ad account's currency, into the workspace's currency at each day's
 * rate. A day without a rate is refused whole, never converted at a guessed one; every other day of the range is
 * kept, rows or none (a day without rows replaces what an earlier sync stored for it, as the platform restated it).
 */
public final class SpendConversion {
    private SpendConversion() {
    }

    /** Units of {@code to} one unit of {@code from} bought on {@code day}, or empty when the source has none. */
    public interface Rates {
        OptionalDouble rate(LocalDate day, String from, String to);
    }

    /** The days to store, each with its rows in the workspace's currency, and the days refused for want of a rate. */
    public record Converted(Map<LocalDate, List<AdSpend>> days, List<LocalDate> refused) {
    }

    public static Converted convert(LocalDate from, LocalDate to, String accountCurrency, List<AdSpend> rows,
                                    String workspaceCurrency, Rates rates) {
        Map<LocalDate, List<AdSpend>> byDay = new TreeMap<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) byDay.put(d, new ArrayList<>());
        for (AdSpend r : rows) {
            if (byDay.containsKey(r.day())) byDay.get(r.day()).add(r);
        }
        boolean same = accountCurrency == null || accountCurrency.equalsIgnoreCase(workspaceCurrency);
        String source = accountCurrency == null ? null : accountCurrency.toUpperCase(Locale.ROOT);
        Map<LocalDate, List<AdSpend>> kept = new TreeMap<>();
        List<LocalDate> refused = new ArrayList<>();
        for (Map.Entry<LocalDate, List<AdSpend>> day : byDay.entrySet()) {
            if (same || day.getValue().isEmpty()) {
                kept.put(day.getKey(), day.getValue());
                continue;
            }
            OptionalDouble rate = rates.rate(day.getKey(), source, workspaceCurrency);
            if (rate.isEmpty()) {
                refused.add(day.getKey());
                continue;
            }
            double x = rate.getAsDouble();
            kept.put(day.getKey(), day.getValue().stream().map(r -> new AdSpend(r.day(), r.platform(), r.campaignId(),
                    r.campaign(), r.adSetId(), r.adSet(), r.adId(), r.ad(), r.spend() * x, r.impressions(), r.clicks(),
                    r.platformConversions(), r.platformConversionValue() * x, r.source())).toList());
        }
        return new Converted(kept, refused);
    }
}
