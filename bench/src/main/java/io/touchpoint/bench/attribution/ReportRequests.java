package io.touchpoint.bench.attribution;

import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;

/**
 * Every report of the API at the benchmark's scale, over real HTTP: the report engine's first request (which reads the
 * workspace's index: its time and the heap the index keeps), each report's first request and 20 warm ones (median,
 * min, max, and the JVM's CPU per request), and a report right after the attribution stage changed a day (which brings
 * the index forward). Reports the engine answers: any window but the workspace's 30 days, the models whose credits
 * are not stored, ad set and ad groupings and event columns; the others read the stored rollup.
 */
final class ReportRequests {
    /** The models the engine computes alone, without a stored data-driven run to read or recompute. */
    private static final String RULE_BASED = "first_touch,last_touch,last_non_direct,linear,time_decay,position_based";
    private final AttributionBench.Http get;
    private final String range;

    ReportRequests(AttributionBench.Http get, LocalDate today) {
        this.get = get;
        this.range = "from=" + today.minusDays(29) + "&to=" + today;
    }

    /** The engine's first request of the process, the index it reads and the heap the index keeps after a collection. */
    void engineIndex() throws Exception {
        long before = retainedHeapMb();
        AttributionBench.Timed<String> first = AttributionBench.timed(() -> get.call(report(
                "group_by=channel&model=" + RULE_BASED + "&window=7")));
        long after = retainedHeapMb();
        System.out.printf("%nreport engine: first request (reads the workspace's index), window=7, rule-based models, by channel"
                        + " %8.1f ms   cpu %6.2f s   peak heap %5d MB   heap kept after it %5d MB (index ~%d MB)%n",
                first.seconds() * 1e3, first.cpuSeconds(), first.peakHeapMb(), after, after - before);
    }

    /** Each report: its first request, then 20 warm ones. */
    void reports() throws Exception {
        String paidSearch = URLEncoder.encode("Paid Search", StandardCharsets.UTF_8);
        for (String[] r : List.of(
                new String[]{"drill-down: Paid Search, linear, first 50", "/api/v1/reports/attribution/conversions?" + range
                        + "&group_by=channel&group=" + paidSearch + "&model=linear&limit=50"},
                new String[]{"rollup   window=30 (the workspace's), model=all, by channel", report("group_by=channel&model=all")},
                new String[]{"engine   window=7, model=all, by channel", report("group_by=channel&model=all&window=7")},
                new String[]{"engine   window=lifetime, model=all, by channel", report("group_by=channel&model=all&window=lifetime")},
                new String[]{"engine   window=7, model=all, by campaign", report("group_by=campaign&model=all&window=7")},
                new String[]{"engine   model=linear_paid, by campaign", report("group_by=campaign&model=linear_paid")},
                new String[]{"engine   model=source_first_touch&platform=meta, by campaign",
                        report("group_by=campaign&model=source_first_touch&platform=meta")},
                new String[]{"engine   model=all, by ad_set", report("group_by=ad_set&model=all")},
                new String[]{"engine   model=all, by ad", report("group_by=ad&model=all")},
                new String[]{"engine   window=7, events=purchase,lead_generated, value_event=purchase, by ad_set",
                        report("group_by=ad_set&model=linear&window=7&events=purchase,lead_generated&value_event=purchase")},
                new String[]{"engine   window=7, model=all, by channel, interval=day", report("group_by=channel&model=all&window=7&interval=day")},
                new String[]{"csv      window=7, model=all, by ad, format=csv", report("group_by=ad&model=all&window=7&format=csv")},
                new String[]{"people list: most recent 50", "/api/v1/profiles?limit=50"},
                new String[]{"people list: search 'person12' (many match), 50", "/api/v1/profiles?q=person12&limit=50"},
                new String[]{"people list: search one email", "/api/v1/profiles?q=person599999%40example.com&limit=50"},
                new String[]{"paths report, by channel", "/api/v1/reports/paths?" + range + "&group_by=channel&limit=100"},
                new String[]{"paths report, by campaign", "/api/v1/reports/paths?" + range + "&group_by=campaign&limit=100"})) {
            measure(r[0], r[1]);
        }
    }

    /**
     * A report after the attribution stage changed a day's data (a change stamp as the stage writes it): the engine
     * brings its index forward by that day before answering. The day is before the reports' 30 days, so that the
     * data-driven runs stored for them stay current for the next measuring run.
     */
    void afterChange(Connection c, String workspaceId, LocalDate today) throws Exception {
        String path = report("group_by=channel&model=" + RULE_BASED + "&window=7");
        get.call(path);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE attribution_cursor SET data_version = data_version + 1 WHERE id = 1");
            s.executeUpdate("INSERT INTO attribution_changes (workspace_id, day, version) SELECT '" + workspaceId + "', '"
                    + today.minusDays(45) + "', data_version FROM attribution_cursor WHERE id = 1"
                    + " ON CONFLICT (workspace_id, day) DO UPDATE SET version = excluded.version");
        }
        AttributionBench.Timed<String> t = AttributionBench.timed(() -> get.call(path));
        System.out.printf("%-78s %8.1f ms   cpu %6.0f ms   peak heap %5d MB%n",
                "engine   window=7, rule-based models, by channel, after a day changed (index brought forward)", t.seconds() * 1e3,
                t.cpuSeconds() * 1e3, t.peakHeapMb());
    }

    private String report(String params) {
        return "/api/v1/reports/attribution?" + range + "&" + params;
    }

    private void measure(String label, String path) throws Exception {
        AttributionBench.Timed<String> first = AttributionBench.timed(() -> get.call(path));
        AttributionBench.Timed<double[]> warm = AttributionBench.warm(get, path);
        double[] ms = warm.value();
        System.out.printf("%-78s first %8.1f ms (cpu %6.0f ms)   warm median %7.1f ms, min %7.1f, max %7.1f   cpu %6.0f ms"
                        + " per request   peak heap %5d MB   %,d bytes%n", label, first.seconds() * 1e3, first.cpuSeconds() * 1e3,
                ms[ms.length / 2], ms[0], ms[ms.length - 1], warm.cpuSeconds() * 1e3 / ms.length, warm.peakHeapMb(),
                first.value().length());
    }

    private static long retainedHeapMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }
}
