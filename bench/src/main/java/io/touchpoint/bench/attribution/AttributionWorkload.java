package io.touchpoint.bench.attribution;

import io.touchpoint.core.attribution.ConversionCredits;
import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.touchpoint.AdIds;
import io.touchpoint.core.touchpoint.ChannelGrouping;
import io.touchpoint.core.touchpoint.Touchpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic attribution workspace held in primitive arrays: people, their touchpoints (each one of a few hundred
 * touchpoint shapes classified by the real channel grouping) and conversions. Deterministic for a seed.
 *
 * <p>The mix, by share of touchpoints: Google paid search 25% (40 campaigns × 5 terms, gclid), Meta paid social
 * 20% (60 campaigns × 3 ads, fbclid), organic search 15%, direct 15%, email 8% (30 campaigns), referral 5% (50
 * sites), organic social 4%, display 3% (20 campaigns), YouTube 2% (10 campaigns), affiliates 2% (20 partners),
 * TikTok 1% (15 campaigns); the ad clicks carry the platforms' campaign, ad set and ad ids; within a group popular shapes are drawn more often. People's touchpoint counts are
 * skewed (many people with one or two, a few with a hundred or more), each person active over a window of a
 * day to a month. 90% of conversions follow one of the person's touchpoints within a couple of days, 10% come
 * from anyone at any time (some from people with no touchpoint: the Direct stand-in); 65% are purchases with a
 * value (5% of them in EUR, the rest in the workspace's USD), 35% leads without one.
 */
final class AttributionWorkload {
    static final long DAY = 86_400_000L;
    static final String[] EVENT_NAMES = {"purchase", "lead_generated"};
    static final String[] CURRENCIES = {"", "USD", "EUR"};

    final int people;
    final long start;
    final int days;
    /** Touchpoint shapes; index {@link #standIn()} is the Direct stand-in of a conversion without touchpoints. */
    final List<Touchpoint> shapes = new ArrayList<>();
    /** The shapes of ad clicks, each one ad of the synced structure ({@link AttributionLoader} writes their delivery). */
    final List<Integer> adShapes = new ArrayList<>();

    // touchpoints, in time order (row i has id i + 1)
    int[] touchPerson;
    long[] touchTime;
    int[] touchSeenFor;
    short[] touchShape;
    // conversions, in time order
    int[] convPerson;
    long[] convTime;
    byte[] convEvent;
    byte[] convCurrency;
    double[] convValue;

    private final List<int[]> groups = new ArrayList<>(); // per group: first shape, shape count
    private final double[] groupWeights;

    AttributionWorkload(int people, long start, int days) {
        this.people = people;
        this.start = start;
        this.days = days;
        List<Double> weights = new ArrayList<>();
        ads(weights, 0.25, googleAds());
        ads(weights, 0.20, metaAds());
        group(weights, 0.15, List.of(visit(null, "https://www.google.com/", null), visit(null, "https://www.bing.com/", null),
                visit(null, "https://duckduckgo.com/", null)));
        group(weights, 0.15, List.of(visit(null, null, null)));
        group(weights, 0.08, campaigns("newsletter", "email", "issue-", 30));
        List<ChannelGrouping.Visit> referrals = new ArrayList<>();
        for (int i = 0; i < 50; i++) referrals.add(visit(null, "https://blog" + i + ".example.org/post", null));
        group(weights, 0.05, referrals);
        group(weights, 0.04, List.of(visit(null, "https://m.facebook.com/", null), visit(null, "https://t.co/x", null),
                visit(null, "https://www.linkedin.com/feed", null)));
        group(weights, 0.03, campaigns("google", "display", "retarget-", 20));
        group(weights, 0.02, campaigns("youtube", "video", "yt-", 10));
        group(weights, 0.02, campaigns("partner", "affiliate", "aff-", 20));
        ads(weights, 0.01, tiktok());
        groupWeights = weights.stream().mapToDouble(Double::doubleValue).toArray();
        shapes.add(ConversionCredits.directStandIn(java.time.Instant.EPOCH).touchpoint());
    }

    int standIn() {
        return shapes.size() - 1;
    }

    long end() {
        return start + days * DAY;
    }

    /** Draws {@code touchpoints} touchpoints and {@code conversions} conversions, each set sorted by time. */
    void generate(int touchpoints, int conversions, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long end = end();
        long[] base = new long[people];
        long[] span = new long[people];
        for (int p = 0; p < people; p++) {
            base[p] = start + (long) (rnd.nextDouble() * (days * DAY - DAY));
            span[p] = Math.min(30 * DAY, DAY + (long) (-Math.log(1 - rnd.nextDouble()) * 7 * DAY));
        }
        int[] person = new int[touchpoints];
        long[] time = new long[touchpoints];
        for (int i = 0; i < touchpoints; i++) {
            int p = (int) (people * Math.pow(rnd.nextDouble(), 1.3));
            person[i] = p;
            time[i] = Math.min(base[p] + (long) (rnd.nextDouble() * span[p]), end - 1 - rnd.nextLong(3_600_000));
        }
        int[] order = byTime(time);
        touchPerson = new int[touchpoints];
        touchTime = new long[touchpoints];
        touchSeenFor = new int[touchpoints];
        touchShape = new short[touchpoints];
        for (int i = 0; i < touchpoints; i++) {
            touchPerson[i] = person[order[i]];
            touchTime[i] = time[order[i]];
            touchSeenFor[i] = rnd.nextInt(20 * 60_000);
            touchShape[i] = (short) shape(rnd);
        }

        int[] cPerson = new int[conversions];
        long[] cTime = new long[conversions];
        for (int i = 0; i < conversions; i++) {
            if (rnd.nextInt(10) > 0) {
                int t = rnd.nextInt(touchpoints);
                cPerson[i] = touchPerson[t];
                cTime[i] = Math.min(end - 1, touchTime[t] + (long) (-Math.log(1 - rnd.nextDouble()) * DAY / 2));
            } else {
                cPerson[i] = rnd.nextInt(people);
                cTime[i] = start + (long) (rnd.nextDouble() * days * DAY);
            }
        }
        order = byTime(cTime);
        convPerson = new int[conversions];
        convTime = new long[conversions];
        convEvent = new byte[conversions];
        convCurrency = new byte[conversions];
        convValue = new double[conversions];
        for (int i = 0; i < conversions; i++) {
            convPerson[i] = cPerson[order[i]];
            convTime[i] = cTime[order[i]];
            boolean purchase = rnd.nextInt(100) < 65;
            convEvent[i] = (byte) (purchase ? 0 : 1);
            convCurrency[i] = (byte) (purchase ? (rnd.nextInt(20) == 0 ? 2 : 1) : 0);
            convValue[i] = purchase ? Math.round((15 + -Math.log(1 - rnd.nextDouble()) * 60) * 100) / 100.0 : Double.NaN;
        }
    }

    /** Each person's touchpoint rows (indexes into the time-ordered arrays), as [first of person p, first of p + 1). */
    int[][] touchesByPerson() {
        int[] first = new int[people + 1];
        for (int p : touchPerson) first[p + 1]++;
        for (int p = 0; p < people; p++) first[p + 1] += first[p];
        int[] next = Arrays.copyOf(first, people);
        int[] rows = new int[touchPerson.length];
        for (int i = 0; i < touchPerson.length; i++) rows[next[touchPerson[i]]++] = i;
        return new int[][]{first, rows};
    }

    private static int[] byTime(long[] time) {
        long[] keys = new long[time.length];
        long min = Arrays.stream(time).min().orElse(0);
        for (int i = 0; i < time.length; i++) keys[i] = (time[i] - min) << 24 | i; // < 2^39 ms of range, < 2^24 rows
        Arrays.sort(keys);
        int[] order = new int[time.length];
        for (int i = 0; i < time.length; i++) order[i] = (int) (keys[i] & 0xFFFFFF);
        return order;
    }

    private int shape(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        int g = 0;
        while (g < groupWeights.length - 1 && u >= groupWeights[g]) u -= groupWeights[g++];
        int[] group = groups.get(g);
        return group[0] + (int) (group[1] * Math.pow(rnd.nextDouble(), 2)); // the first shapes are the popular ones
    }

    private void group(List<Double> weights, double weight, List<ChannelGrouping.Visit> visits) {
        groups.add(new int[]{shapes.size(), visits.size()});
        weights.add(weight);
        for (ChannelGrouping.Visit v : visits) shapes.add(ChannelGrouping.classify(v));
    }

    /** A group of ad clicks: each visit's touchpoint with the platform ids its tracking template filled in. */
    private void ads(List<Double> weights, double weight, List<Ad> ads) {
        group(weights, weight, ads.stream().map(Ad::visit).toList());
        for (int i = 0; i < ads.size(); i++) {
            int s = shapes.size() - ads.size() + i;
            shapes.set(s, shapes.get(s).withAdIds(ads.get(i).ids()));
            adShapes.add(s);
        }
    }

    /** A visit from an ad, with the platform's ids of its campaign, ad set and ad. */
    record Ad(ChannelGrouping.Visit visit, AdIds ids) {
    }

    /** 40 campaigns of 3 ad groups; each of a campaign's 5 keywords has its own ad. */
    private static List<Ad> googleAds() {
        List<Ad> out = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            for (int t = 0; t < 5; t++) {
                out.add(new Ad(new ChannelGrouping.Visit(new Campaign("google", "cpc", "search-" + c, "keyword " + c + "-" + t, null,
                        null, null, null, null, null, null), null, null, List.of(new Identifier(IdentifierType.GCLID, "g"))),
                        new AdIds("1" + c, "2" + c + "0" + t % 3, "3" + c + "0" + t)));
            }
        }
        return out;
    }

    /** 60 campaigns of 2 ad sets holding 3 ads. */
    private static List<Ad> metaAds() {
        List<Ad> out = new ArrayList<>();
        for (int c = 0; c < 60; c++) {
            for (int a = 0; a < 3; a++) {
                out.add(new Ad(new ChannelGrouping.Visit(new Campaign(c % 4 == 0 ? "instagram" : "facebook", "paid_social",
                        "social-" + c, null, "ad-" + a, null, null, null, null, null, null), null, null,
                        List.of(new Identifier(IdentifierType.FBCLID, "f"))), new AdIds("4" + c, "5" + c + "0" + a % 2, "6" + c + "0" + a)));
            }
        }
        return out;
    }

    private static List<Ad> tiktok() {
        List<Ad> out = new ArrayList<>();
        for (int c = 0; c < 15; c++) {
            out.add(new Ad(new ChannelGrouping.Visit(new Campaign("tiktok", "paid_social", "tt-" + c, null, null, null, null, null,
                    null, null, null), null, null, List.of(new Identifier(IdentifierType.TTCLID, "t"))),
                    new AdIds("7" + c, "8" + c, "9" + c)));
        }
        return out;
    }

    private static List<ChannelGrouping.Visit> campaigns(String source, String medium, String prefix, int n) {
        List<ChannelGrouping.Visit> out = new ArrayList<>();
        for (int c = 0; c < n; c++) out.add(visit(new Campaign(source, medium, prefix + c, null, null, null, null, null, null,
                null, null), null, null));
        return out;
    }

    private static ChannelGrouping.Visit visit(Campaign c, String referrer, String pageUrl) {
        return new ChannelGrouping.Visit(c, referrer, pageUrl == null ? "https://shop.example/" : pageUrl, List.of());
    }

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    /** An id shaped like the real ones (prefix + 26 Crockford characters: 10 of time, 16 of sequence). */
    static String id(String prefix, long millis, long sequence) {
        char[] c = new char[26];
        for (int i = 9; i >= 0; i--) {
            c[i] = CROCKFORD[(int) (millis & 31)];
            millis >>>= 5;
        }
        for (int i = 25; i >= 10; i--) {
            c[i] = CROCKFORD[(int) (sequence & 31)];
            sequence >>>= 5;
        }
        return prefix + new String(c);
    }
}
