package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.report.AdSpend;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ad delivery rows of a range ({@link io.touchpoint.core.store.AttributionStore#adSpend}, the only source of spend,
 * names and the platforms' own figures) folded per ad set or ad id, for reports grouped by them: spend per group (and
 * day), and each group's line: where it sits in the platform's structure, with the latest names, and the platform's own
 * delivery and conversion figures beside Touchpoint's.
 */
final class AdLines {
    private AdLines() {
    }

    static boolean applies(GroupBy g) {
        return g == GroupBy.AD_SET || g == GroupBy.AD;
    }

    private static String key(AdSpend r, GroupBy g) {
        return g == GroupBy.AD_SET ? r.adSetId() : r.adId();
    }

    /** Spend per group over the rows (day null) or per day and group. */
    static Map<LocalDate, Map<String, Double>> spend(List<AdSpend> rows, GroupBy g, boolean daily) {
        Map<LocalDate, Map<String, Double>> out = new HashMap<>();
        for (AdSpend r : rows) {
            if (key(r, g) == null) continue;
            out.computeIfAbsent(daily ? r.day() : null, d -> new LinkedHashMap<>()).merge(key(r, g), r.spend(), Double::sum);
        }
        return out;
    }

    /** Each group's line; rows come ordered by day, so the names are the latest the platform gave. */
    static Map<String, Report.AdLine> lines(List<AdSpend> rows, GroupBy g) {
        Map<String, Report.AdLine> out = new HashMap<>();
        for (AdSpend r : rows) {
            String k = key(r, g);
            if (k == null) continue;
            Report.AdLine before = out.get(k);
            boolean ad = g == GroupBy.AD;
            out.put(k, new Report.AdLine(r.platform(), r.campaignId(), r.campaign(), r.adSetId(), r.adSet(),
                    ad ? r.adId() : null, ad ? r.ad() : null,
                    (before == null ? 0 : before.impressions()) + r.impressions(),
                    (before == null ? 0 : before.clicks()) + r.clicks(),
                    ReportView.round((before == null ? 0 : before.platformConversions()) + r.platformConversions()),
                    ReportView.round((before == null ? 0 : before.platformConversionValue()) + r.platformConversionValue())));
        }
        return out;
    }
}
