package io.touchpoint.bench.attribution;

import io.touchpoint.bench.store.BenchStore;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.engine.EngineQuery;
import io.touchpoint.core.attribution.engine.IndexBuilder;
import io.touchpoint.core.attribution.engine.ReportEngine;
import io.touchpoint.core.attribution.engine.ReportIndex;
import io.touchpoint.core.attribution.models.AttributionModel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The report engine's index in memory, without a store: a synthetic workspace of the attribution benchmark's shape
 * (by default 600,000 people with 6 to 11 touchpoints each, 5,000,000 in all, and 1,000,000 conversions over 60
 * days), then, round after round, one day's rows replaced as after the attribution stage changed it
 * ({@link IndexBuilder#rebuild}), with the wall time and this thread's CPU of each, and a report over the result.
 *
 * <pre>bench/run.sh IndexRebuildBench [--people 600000] [--rounds 6]</pre>
 */
public final class IndexRebuildBench {
    private static final long DAY = 86_400_000L;
    private static final int SHAPES = 200;

    private IndexRebuildBench() {
    }

    public static void main(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        int people = Integer.parseInt(opts.getOrDefault("people", "600000"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "6"));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        LocalDate first = LocalDate.of(2026, 1, 1);
        long day0 = first.toEpochDay() * DAY;
        Random rnd = new Random(1);
        int touchCount = people * 25 / 3;
        int conversionCount = people * 5 / 3;
        int[] touchProfile = new int[touchCount];
        long[] touchTime = new long[touchCount];
        int[] touchShape = new int[touchCount];
        int k = 0;
        for (int p = 0; p < people && k < touchCount; p++) {
            long[] times = new long[6 + rnd.nextInt(6)];
            for (int i = 0; i < times.length; i++) times[i] = day0 + (long) (rnd.nextDouble() * 60 * DAY);
            Arrays.sort(times); // a stored path comes in time order
            for (int i = 0; i < times.length && k < touchCount; i++, k++) {
                touchProfile[k] = p;
                touchTime[k] = times[i];
                touchShape[k] = rnd.nextInt(SHAPES);
            }
        }
        touchCount = k;
        int[] convProfile = new int[conversionCount];
        long[] convTime = new long[conversionCount];
        for (int i = 0; i < conversionCount; i++) {
            convProfile[i] = rnd.nextInt(people);
            convTime[i] = day0 + (long) (rnd.nextDouble() * 60 * DAY);
        }
        List<List<String>> shapes = new ArrayList<>();
        String[] channels = {"Paid Search", "Paid Social", "Organic Search", "Email", "Direct"};
        for (int s = 0; s < SHAPES; s++) {
            List<String> v = new ArrayList<>();
            for (GroupBy g : GroupBy.values()) v.add(g == GroupBy.CHANNEL ? channels[s % channels.length] : g.wireName() + s % 40);
            shapes.add(v);
        }

        IndexBuilder fresh = IndexBuilder.fresh(ZoneOffset.UTC);
        for (int s = 0; s < SHAPES; s++) fresh.shape(s, shapes.get(s));
        for (int i = 0; i < touchCount; i++) fresh.touch("p" + touchProfile[i], touchTime[i], i + 1, touchShape[i]);
        for (int i = 0; i < conversionCount; i++) {
            fresh.conversion("p" + convProfile[i], convTime[i], LocalDate.ofEpochDay(convTime[i] / DAY), "purchase", 10.0, "USD");
        }
        ReportIndex index = fresh.build();
        System.out.printf("index: %,d conversions, %,d touchpoints, about %d MB; load %s%n", index.conversions(),
                index.touchpoints(), index.bytes() >> 20, BenchStore.loadAverage());
        EngineQuery query = new EngineQuery(first.plusDays(30), first.plusDays(59), null, GroupBy.CHANNEL,
                AttributionModel.RULE_BASED, 7, 7, null, false);
        for (int round = 0; round < rounds; round++) {
            LocalDate day = first.plusDays(40 + round % 10);
            long from = day.toEpochDay() * DAY;
            long t = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            IndexBuilder b = IndexBuilder.rebuild(index, Set.of(day));
            for (int s = 0; s < SHAPES; s++) b.shape(s, shapes.get(s));
            int rows = 0;
            for (int i = 0; i < touchCount; i++) {
                if (touchTime[i] >= from && touchTime[i] < from + DAY) {
                    b.touch("p" + touchProfile[i], touchTime[i], i + 1, touchShape[i]);
                    rows++;
                }
            }
            for (int i = 0; i < conversionCount; i++) {
                if (convTime[i] >= from && convTime[i] < from + DAY) {
                    b.conversion("p" + convProfile[i], convTime[i], day, "purchase", 10.0, "USD");
                    rows++;
                }
            }
            index = b.build();
            long wall = (System.nanoTime() - t) / 1_000_000;
            long used = (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000;
            cpu = threads.getCurrentThreadCpuTime();
            int cells = ReportEngine.run(index, query).credits().size();
            System.out.printf("round %d: %s's %,d rows replaced in %,d ms (%,d ms of CPU); then a report, window=7, by channel:"
                            + " %,d ms of CPU, %d cells; load %s%n", round, day, rows, wall, used,
                    (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000, cells, BenchStore.loadAverage());
        }
    }
}
