package io.touchpoint.bench.ingest;

import io.touchpoint.bench.load.LoadRunner;
import io.touchpoint.bench.load.Sampler;
import io.touchpoint.bench.load.Stats;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an ingest run found, and how the harness says it: each scenario's figures, the ratios and targets it prints
 * itself, the tables on stdout and the JSON result's per-store part.
 *
 * @param external the run targeted a running server (--url), whose store and durability the harness cannot see
 */
record IngestReport(int jitWarmupSeconds, int warmupSeconds, int durationSeconds, int singleConnections, int batchSize,
                    int steadyRate, boolean external) {
    static final int DEFAULT_STEADY_RATE = 2000;

    /** One store's run: every scenario on one target. */
    record StoreRun(String store, String target, Boolean durable, List<Row> rows, Map<String, Double> ratios,
                    List<Map<String, Object>> targets) {
    }

    /** One scenario's figures. */
    record Row(String name, String load, LoadRunner.Outcome o, int eventsPerRequest, Map<String, Object> usage,
               Map<String, Object> check) {
        double answersPerSecond() {
            return o.measured().ok.sum() / o.windowSeconds();
        }

        double eventsPerSecond() {
            return o.measured().acceptedEvents.sum() / o.windowSeconds();
        }

        long errors() {
            return o.failedOrNon2xxTotal();
        }

        double ms(double percentile) {
            Histogram h = o.measured().latencyUs;
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
        }

        double maxMs() {
            Histogram h = o.measured().latencyUs;
            return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
        }
    }

    /**
     * Per scenario, the second store's figures over the first's: events/s (answers/s for noop), and p99. Both
     * runs had the same scenarios, settings and load generator; only the store differs.
     */
    static Map<String, Map<String, Object>> compare(StoreRun a, StoreRun b) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Row ra : a.rows()) {
            Row rb = find(b.rows(), ra.name());
            if (rb == null) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            boolean events = ra.eventsPerRequest() > 0;
            double va = events ? ra.eventsPerSecond() : ra.answersPerSecond();
            double vb = events ? rb.eventsPerSecond() : rb.answersPerSecond();
            m.put("measure", events ? "events_per_second" : "responses_2xx_per_second");
            m.put(a.store(), Sampler.round(va));
            m.put(b.store(), Sampler.round(vb));
            m.put("rate_ratio", va > 0 ? round3(vb / va) : null);
            m.put("p99_ms_" + a.store(), Sampler.round(ra.ms(99)));
            m.put("p99_ms_" + b.store(), Sampler.round(rb.ms(99)));
            m.put("p99_ratio", ra.ms(99) > 0 ? round3(rb.ms(99) / ra.ms(99)) : null);
            out.put(ra.name(), m);
        }
        return out;
    }

    static String comparisonTable(StoreRun a, StoreRun b, Map<String, Map<String, Object>> comparison) {
        StringBuilder t = new StringBuilder();
        String label = b.store() + " ÷ " + a.store();
        t.append("stores side by side (").append(label).append("; events/s, answers/s for noop)\n");
        t.append(String.format(Locale.ROOT, "%-8s %12s %12s %8s %10s %10s %8s%n", "scenario", a.store() + "/s",
                b.store() + "/s", "ratio", "p99 " + a.store().substring(0, Math.min(6, a.store().length())),
                "p99 " + b.store().substring(0, Math.min(6, b.store().length())), "ratio"));
        comparison.forEach((name, m) -> t.append(String.format(Locale.ROOT, "%-8s %,12.0f %,12.0f %8s %10.2f %10.2f %8s%n",
                name, (Double) m.get(a.store()), (Double) m.get(b.store()), fmt((Double) m.get("rate_ratio")),
                (Double) m.get("p99_ms_" + a.store()), (Double) m.get("p99_ms_" + b.store()), fmt((Double) m.get("p99_ratio")))));
        t.append('\n');
        for (String key : a.ratios().keySet()) {
            Double vb = b.ratios().get(key);
            t.append(String.format(Locale.ROOT, "ratio %s: %s %.2f, %s %s%n", key, a.store(), a.ratios().get(key),
                    b.store(), vb == null ? "-" : String.format(Locale.ROOT, "%.2f", vb)));
        }
        return t.toString();
    }

    static String durability(String store, Boolean durable) {
        if (durable == null) return "durability unknown (external server)";
        if (store.equals("postgres")) return "synchronous_commit=on";
        return durable ? "synchronous=FULL" : "synchronous=NORMAL";
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    static Row find(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    static Map<String, Double> ratios(List<Row> rows) {
        Map<String, Double> out = new LinkedHashMap<>();
        Row noop = find(rows, "noop"), single = find(rows, "single"), batch = find(rows, "batch"), able = find(rows, "able");
        if (able != null && single != null && single.eventsPerSecond() > 0) {
            out.put("able_events_per_single_event", able.eventsPerSecond() / single.eventsPerSecond());
        }
        if (noop != null && noop.answersPerSecond() > 0) {
            if (single != null) out.put("single_events_per_noop_request", single.eventsPerSecond() / noop.answersPerSecond());
            if (batch != null) out.put("batch_events_per_noop_request", batch.eventsPerSecond() / noop.answersPerSecond());
            if (batch != null) out.put("batch_requests_per_noop_request", batch.answersPerSecond() / noop.answersPerSecond());
        }
        return out;
    }

    /**
     * The targets for the store measured: SQLite's rates and its ratio to the no-op route, PostgreSQL's own
     * lower rates (single ≥ 5,000, batches ≥ 50,000 events/s); the steady p99 for both.
     *
     * @param store      sqlite or postgres (anything else: SQLite's targets)
     * @param durability how commits reach the disk, for people
     */
    List<Map<String, Object>> targets(List<Row> rows, Map<String, Double> ratios, String store, Boolean durable,
                                      String durability) {
        List<Map<String, Object>> out = new ArrayList<>();
        boolean postgres = "postgres".equals(store);
        int singleTarget = postgres ? 5_000 : 10_000;
        int batchTarget = postgres ? 50_000 : 100_000;
        Row single = find(rows, "single"), batch = find(rows, "batch"), steady = find(rows, "steady");
        Double r = ratios.get("single_events_per_noop_request");
        if (r != null && !postgres) {
            out.add(target("single events ≥ 50% of the no-op route's rate",
                    String.format(Locale.ROOT, "%.0f%%", r * 100), clean(single) && r >= 0.5, single));
        }
        Double a = ratios.get("able_events_per_single_event");
        Row able = find(rows, "able");
        if (a != null) {
            out.add(target("able webhook within 20% of the single (Cometly) route's rate (≥ 80%)",
                    String.format(Locale.ROOT, "%.0f%% (%,.0f vs %,.0f events/s, both at %d connections)", a * 100,
                            able.eventsPerSecond(), single.eventsPerSecond(), singleConnections),
                    clean(able) && clean(single) && a >= 0.8, able));
        }
        if (single != null) {
            String measured = String.format(Locale.ROOT, "%,.0f events/s, %s", single.eventsPerSecond(),
                    durability);
            out.add(target(String.format(Locale.ROOT, "single events ≥ %,d events/s with durable acknowledgement",
                    singleTarget), measured,
                    clean(single) && single.eventsPerSecond() >= singleTarget && Boolean.TRUE.equals(durable), single));
        }
        if (batch != null) {
            out.add(target(String.format(Locale.ROOT, "batches ≥ %,d events/s", batchTarget),
                    String.format(Locale.ROOT, "%,.0f events/s (%d per request)", batch.eventsPerSecond(), batchSize),
                    clean(batch) && batch.eventsPerSecond() >= batchTarget, batch));
        }
        if (steady != null) {
            boolean atRate = steadyRate == DEFAULT_STEADY_RATE;
            boolean held = steady.o().measured().ok.sum() >= 0.99 * steadyRate * steady.o().windowSeconds();
            out.add(target("p99 under 20 ms at a steady 2,000 events/s",
                    String.format(Locale.ROOT, "p99 %.2f ms at %,d events/s intended, %,.0f answered/s%s", steady.ms(99),
                            steadyRate, steady.answersPerSecond(), stagesBeside(steady)),
                    atRate && held && clean(steady) && steady.ms(99) < 20, steady));
        }
        return out;
    }

    /**
     * What the identity and attribution stages handled in the window: below the ingest rate they were deferring their
     * work (their lag grew), so the p99 was measured beside less than a steady state's stage work.
     */
    private static String stagesBeside(Row r) {
        if (!(r.usage().get("processor_stages") instanceof Map<?, ?> m)
                || !(m.get("identity_events_per_second") instanceof Number identity)
                || !(m.get("attribution_items_per_second") instanceof Number attribution)) return "";
        return String.format(Locale.ROOT, "; stages beside it: identity %,.0f, attribution %,.0f events/s", identity.doubleValue(),
                attribution.doubleValue());
    }

    private static boolean clean(Row r) {
        return r != null && r.errors() == 0 && r.o().leftInFlight() == 0 && !"LOST".equals(r.check().get("status"));
    }

    private static Map<String, Object> target(String goal, String measured, boolean met, Row row) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("target", goal);
        t.put("measured", measured + (row != null && row.errors() > 0 ? ", with " + row.errors() + " errors" : ""));
        t.put("met", met);
        return t;
    }

    String table(StoreRun run, String clientName) {
        List<Row> rows = run.rows();
        Map<String, Double> ratios = run.ratios();
        List<Map<String, Object>> targets = run.targets();
        boolean postgres = run.store().equals("postgres");
        StringBuilder b = new StringBuilder();
        b.append("store: ").append(run.store()).append('\n');
        b.append("target: ").append(run.target()).append('\n');
        b.append("client: ").append(clientName).append(", loopback, keep-alive; a warm-up round of ")
                .append(jitWarmupSeconds).append(" s per scenario, then per scenario ").append(warmupSeconds)
                .append(" s warm-up + ").append(durationSeconds).append(" s measured\n\n");
        b.append(String.format(Locale.ROOT, "%-8s %-26s %11s %11s %8s %8s %8s %8s %10s %8s %7s%n", "scenario",
                "load", "2xx/s", "events/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "2xx", "non-2xx", "failed"));
        for (Row r : rows) {
            Stats s = r.o().measured();
            b.append(String.format(Locale.ROOT, "%-8s %-26s %,11.0f %11s %8.2f %8.2f %8.2f %8.2f %,10d %,8d %,7d%n",
                    r.name(), r.load(), r.answersPerSecond(),
                    r.eventsPerRequest() == 0 ? "-" : String.format(Locale.ROOT, "%,.0f", r.eventsPerSecond()),
                    r.ms(50), r.ms(90), r.ms(99), r.maxMs(), s.ok.sum(), s.non2xx.sum(), s.failed.sum()));
        }
        b.append('\n');
        for (Row r : rows) {
            Stats s = r.o().measured();
            if (s.non2xx.sum() + s.failed.sum() + s.partial.sum() > 0 || r.errors() > 0) {
                b.append(r.name()).append(" errors: statuses ").append(s.statuses()).append(", failures ")
                        .append(s.failures()).append(", 2xx with fewer accepted events ").append(s.partial.sum())
                        .append(", all phases ").append(r.errors()).append("; first: ").append(s.firstError.get()).append('\n');
            }
            if (!r.check().isEmpty()) {
                b.append(String.format(Locale.ROOT, "store check, %s: %,d events acknowledged (warm-up, window and drain), %s stored: %s%n",
                        r.name(), (Long) r.check().get("acknowledged_events"),
                        r.check().containsKey("stored_events") ? String.format(Locale.ROOT, "%,d", (Long) r.check().get("stored_events")) : "?",
                        r.check().get("status")));
            }
        }
        for (Row r : rows) {
            Map<String, Object> u = r.usage();
            b.append(String.format(Locale.ROOT, "cpu, %s: machine %s of %s cores busy (runnable tasks waited for a core %s of the time), "
                            + "this JVM %s (by thread %s), other processes%s %s; GC %s ms",
                    r.name(), u.get("machine_busy_cores"), u.get("cores"), u.get("cpu_pressure_some"), u.get("this_jvm_cores"),
                    u.get("this_jvm_cores_by_side"),
                    external ? " (the server among them)" : postgres ? " (PostgreSQL among them)" : "",
                    u.get("other_processes_cores"), u.get("gc_pause_ms")));
            if (u.get("ingest_writer") instanceof Map<?, ?> w) {
                b.append(String.format(Locale.ROOT, "%n     writer: %s commits/s, %s records/commit, %s ms/commit, inside commits %s of the time; "
                                + "its thread on a core %s, runnable waiting for a core %s, blocked or idle %s",
                        w.get("commits_per_second"), w.get("mean_records_per_commit"), w.get("mean_commit_ms"),
                        w.get("writer_busy_fraction"), w.get("thread_on_cpu_fraction"),
                        w.get("thread_runnable_waiting_for_cpu_fraction"), w.get("thread_blocked_or_idle_fraction")));
            }
            b.append('\n');
        }
        b.append('\n');
        ratios.forEach((k, v) -> b.append(String.format(Locale.ROOT, "ratio %s: %.2f%n", k, v)));
        for (Map<String, Object> t : targets) {
            b.append(String.format(Locale.ROOT, "target %-72s %-8s %s%n", t.get("target"),
                    Boolean.TRUE.equals(t.get("met")) ? "MET" : "NOT MET", t.get("measured")));
        }
        return b.toString();
    }

    static Map<String, Object> storeDocument(StoreRun run) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("store", run.store());
        doc.put("target", run.target());
        List<Row> rows = run.rows();
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Stats s = r.o().measured();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", r.name());
            m.put("load", r.load());
            m.put("window_seconds", Sampler.round(r.o().windowSeconds()));
            m.put("responses_2xx", s.ok.sum());
            m.put("responses_2xx_per_second", Sampler.round(r.answersPerSecond()));
            m.put("events_per_request", r.eventsPerRequest());
            m.put("accepted_events", s.acceptedEvents.sum());
            m.put("events_per_second", r.eventsPerRequest() == 0 ? null : Sampler.round(r.eventsPerSecond()));
            m.put("responses_non_2xx", s.non2xx.sum());
            m.put("transport_failures", s.failed.sum());
            m.put("responses_2xx_with_fewer_accepted_events", s.partial.sum());
            m.put("statuses", s.statuses());
            m.put("failures", s.failures());
            m.put("first_error", s.firstError.get());
            m.put("errors_all_phases", r.errors());
            m.put("unanswered_after_drain", r.o().leftInFlight());
            m.put("latency_ms", latency(s.latencyUs));
            if (r.name().equals("steady")) {
                m.put("latency_note", "latency_ms is measured from each request's intended send time (no coordinated "
                        + "omission); service_time_ms from the moment it was handed to the client");
                m.put("service_time_ms", latency(s.serviceUs));
            }
            m.put("per_second_2xx_approx", r.o().perSecondRequests());
            m.put("per_second_events_approx", r.o().perSecondEvents());
            m.put("store_check", r.check());
            m.put("resources", r.usage());
            list.add(m);
        }
        doc.put("scenarios", list);
        doc.put("ratios", run.ratios());
        doc.put("targets", run.targets());
        return doc;
    }

    private static Map<String, Object> latency(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) return m;
        m.put("mean", Sampler.round(h.getMean() / 1000));
        for (double p : new double[]{50, 90, 99, 99.9}) {
            m.put("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)),
                    Sampler.round(h.getValueAtPercentile(p) / 1000.0));
        }
        m.put("max", Sampler.round(h.getMaxValue() / 1000.0));
        return m;
    }
}
