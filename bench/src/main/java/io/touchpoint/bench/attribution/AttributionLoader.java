package io.touchpoint.bench.attribution;

import io.touchpoint.core.attribution.AttributionSettings;
import io.touchpoint.core.attribution.ConversionCredits;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.StoredTouch;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.identity.Resolution;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.touchpoint.Touchpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bulk-loads a {@link AttributionWorkload} into exactly the tables the processor's attribution stage fills
 * (attribution_touchpoints, attribution_conversions, attribution_credits, attribution_rollup, attribution_changes), the
 * ad accounts' delivery (ad_delivery) and identity resolution's profiles and identifiers (identity_profiles,
 * identity_links), in the order the processor would have written them (by time). Every conversion's path and credits come from the real
 * {@link ConversionCredits} with the default settings; the rollup is their sum per day, event name, model,
 * currency and touchpoint groups, as the stage's RollupDeltas keeps it. The workspace's time zone must be UTC.
 */
final class AttributionLoader {
    private static final List<AttributionModel> MODELS = AttributionModel.RULE_BASED;
    private static final int COMMIT_EVERY = 50_000;

    private final Connection c;
    private final String ws;
    private final AttributionWorkload w;
    private long rows;

    /** Per touchpoint shape, the number of its group values (the Direct visit and the stand-in share one). */
    private final int[] rollupShape;
    private final int distinctShapes;

    AttributionLoader(Connection c, String workspaceId, AttributionWorkload w) {
        this.c = c;
        this.ws = workspaceId;
        this.w = w;
        rollupShape = new int[w.shapes.size()];
        Map<List<String>, Integer> firstWithGroups = new HashMap<>();
        for (int s = 0; s < rollupShape.length; s++) {
            Touchpoint t = w.shapes.get(s);
            rollupShape[s] = firstWithGroups.computeIfAbsent(
                    java.util.Arrays.stream(GroupBy.values()).map(g -> g.of(t)).toList(), k -> firstWithGroups.size());
        }
        distinctShapes = firstWithGroups.size();
    }

    static String profileId(AttributionWorkload w, int person) {
        return AttributionWorkload.id("prof_", w.start, person);
    }

    static String touchEventId(AttributionWorkload w, int row) {
        return AttributionWorkload.id("evt_", w.touchTime[row], row);
    }

    static String conversionEventId(AttributionWorkload w, int row) {
        return AttributionWorkload.id("evt_", w.convTime[row], (1L << 40) | row);
    }

    void load() throws SQLException {
        c.setAutoCommit(false);
        long t0 = System.nanoTime();
        touchpoints();
        System.out.printf("  touchpoints: %,d rows in %.0f s%n", w.touchTime.length, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        shapesAndPaths();
        System.out.printf("  touch shapes and profile paths: %,d + %,d rows in %.0f s%n", distinctShapes, rows,
                (System.nanoTime() - t0) / 1e9);
        rows = 0;
        t0 = System.nanoTime();
        long creditRows = conversionsAndCredits();
        System.out.printf("  conversions and credits: %,d + %,d rows, rollup %,d cells in %.0f s%n", w.convTime.length,
                creditRows, rows, (System.nanoTime() - t0) / 1e9);
        c.commit();
        changes();
        t0 = System.nanoTime();
        int delivery = adDelivery();
        int links = people();
        c.commit();
        System.out.printf("  ad delivery: %,d rows; people: %,d profiles with %,d identifiers in %.0f s%n", delivery, w.people,
                links, (System.nanoTime() - t0) / 1e9);
    }

    /** Every day's change stamp at data version 1, as the stage leaves them after committing the days' data. */
    private void changes() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attribution_changes (workspace_id, day, version) VALUES (?, ?, 1)");
             java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE attribution_cursor SET data_version = 1 WHERE id = 1");
            for (int d = 0; d < w.days; d++) {
                ps.setString(1, ws);
                ps.setString(2, day(w.start + d * AttributionWorkload.DAY));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * A day of delivery per ad of the workload and day, as an ad account sync stores it: the campaign's name as the
     * touchpoints carry it, the ad set and ad named after their ids, spend, impressions, clicks and the platform's count.
     */
    private int adDelivery() throws SQLException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ad_delivery (workspace_id, source, day, platform, campaign_id,"
                + " campaign, ad_set_id, ad_set, ad_id, ad, spend, currency, impressions, clicks, platform_conversions,"
                + " platform_conversion_value, imported_at) VALUES (?, 'csv', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?, ?, ?)")) {
            for (int d = 0; d < w.days; d++) {
                for (int shape : w.adShapes) {
                    Touchpoint t = w.shapes.get(shape);
                    int impressions = 500 + rnd.nextInt(5_000);
                    int clicks = impressions / 50 + rnd.nextInt(20);
                    double conversions = rnd.nextInt(1 + clicks / 10);
                    ps.setString(1, ws);
                    ps.setString(2, day(w.start + d * AttributionWorkload.DAY));
                    ps.setString(3, t.platform().wireName());
                    ps.setString(4, t.campaignId());
                    ps.setString(5, t.campaign());
                    ps.setString(6, t.adSetId());
                    ps.setString(7, "Ad set " + t.adSetId());
                    ps.setString(8, t.adId());
                    ps.setString(9, "Ad " + t.adId());
                    ps.setDouble(10, Math.round(clicks * (0.4 + rnd.nextDouble()) * 100) / 100.0);
                    ps.setInt(11, impressions);
                    ps.setInt(12, clicks);
                    ps.setDouble(13, conversions);
                    ps.setDouble(14, conversions * 60);
                    ps.setLong(15, w.end());
                    ps.addBatch();
                    n++;
                }
            }
            ps.executeBatch();
        }
        return n;
    }

    /**
     * Every person's profile (its own canonical profile) and identifiers, as identity resolution leaves them: a visitor
     * token seen from the person's first to last event, and an email for people who converted.
     */
    private int people() throws SQLException {
        long[] firstSeen = new long[w.people];
        long[] lastSeen = new long[w.people];
        String[] firstEvent = new String[w.people];
        java.util.Arrays.fill(firstSeen, Long.MAX_VALUE);
        for (int i = 0; i < w.touchTime.length; i++) {
            int p = w.touchPerson[i];
            if (w.touchTime[i] < firstSeen[p]) {
                firstSeen[p] = w.touchTime[i];
                firstEvent[p] = touchEventId(w, i);
            }
            lastSeen[p] = Math.max(lastSeen[p], w.touchTime[i]);
        }
        boolean[] converted = new boolean[w.people];
        for (int i = 0; i < w.convTime.length; i++) {
            int p = w.convPerson[i];
            converted[p] = true;
            if (w.convTime[i] < firstSeen[p]) {
                firstSeen[p] = w.convTime[i];
                firstEvent[p] = conversionEventId(w, i);
            }
            lastSeen[p] = Math.max(lastSeen[p], w.convTime[i]);
        }
        int links = 0;
        try (PreparedStatement profile = c.prepareStatement("INSERT INTO identity_profiles (id, workspace_id, created_seq,"
                + " created_at, merged_into, canonical_id) VALUES (?, ?, ?, ?, NULL, ?)");
             PreparedStatement link = c.prepareStatement("INSERT INTO identity_links (workspace_id, type, value, profile_id, rule,"
                     + " event_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int p = 0; p < w.people; p++) {
                if (firstEvent[p] == null) continue;
                String id = profileId(w, p);
                profile.setString(1, id);
                profile.setString(2, ws);
                profile.setLong(3, p + 1);
                profile.setLong(4, firstSeen[p]);
                profile.setString(5, id);
                profile.addBatch();
                for (IdentifierType type : converted[p] ? List.of(IdentifierType.VISITOR_TOKEN, IdentifierType.EMAIL)
                        : List.of(IdentifierType.VISITOR_TOKEN)) {
                    link.setString(1, ws);
                    link.setString(2, type.wireName());
                    link.setString(3, type == IdentifierType.EMAIL ? "person" + p + "@example.com"
                            : AttributionWorkload.id("vt_", w.start, p));
                    link.setString(4, id);
                    link.setString(5, Resolution.RULE_STRONG);
                    link.setString(6, firstEvent[p]);
                    link.setLong(7, firstSeen[p]);
                    link.setLong(8, lastSeen[p]);
                    link.addBatch();
                    links++;
                }
                if ((p + 1) % COMMIT_EVERY == 0) {
                    profile.executeBatch();
                    link.executeBatch();
                    c.commit();
                }
            }
            profile.executeBatch();
            link.executeBatch();
        }
        return links;
    }

    private void touchpoints() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attribution_touchpoints (id, workspace_id, event_id,"
                + " profile_id, canonical_id, started_at, last_seen_at, click_id, source, medium, campaign, term, content,"
                + " click_id_type, platform, channel, campaign_id, ad_set_id, ad_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < w.touchTime.length; i++) {
                Touchpoint t = w.shapes.get(w.touchShape[i]);
                String profile = profileId(w, w.touchPerson[i]);
                ps.setLong(1, i + 1);
                ps.setString(2, ws);
                ps.setString(3, touchEventId(w, i));
                ps.setString(4, profile);
                ps.setString(5, profile);
                ps.setLong(6, w.touchTime[i]);
                ps.setLong(7, w.touchTime[i] + w.touchSeenFor[i]);
                ps.setString(8, t.clickIdType() == null ? null : "c" + Long.toString(i * 2_654_435_761L & 0xFFFFFFFFL, 36));
                setTouch(ps, 9, t);
                ps.addBatch();
                flush(ps, i);
            }
            ps.executeBatch();
        }
    }

    /** attribution_touch_shapes (numbered from 1) and every person's attribution_profile_paths row, as the stage keeps them. */
    private void shapesAndPaths() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attribution_touch_shapes (id, workspace_id, "
                + String.join(", ", java.util.Arrays.stream(GroupBy.values()).map(GroupBy::column).toList()) + ") VALUES (?, ?, "
                + String.join(", ", java.util.Collections.nCopies(GroupBy.values().length, "?")) + ")")) {
            boolean[] done = new boolean[distinctShapes];
            for (int s = 0; s < rollupShape.length; s++) {
                if (done[rollupShape[s]]) continue;
                done[rollupShape[s]] = true;
                ps.setLong(1, rollupShape[s] + 1);
                ps.setString(2, ws);
                int col = 3;
                for (GroupBy g : GroupBy.values()) ps.setString(col++, g.of(w.shapes.get(s)));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        int[][] byPerson = w.touchesByPerson();
        int[] first = byPerson[0];
        int[] touchRows = byPerson[1];
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attribution_profile_paths (workspace_id, profile_id,"
                + " canonical_id, path) VALUES (?, ?, ?, ?)")) {
            StringBuilder path = new StringBuilder();
            for (int p = 0; p < w.people; p++) {
                if (first[p] == first[p + 1]) continue;
                path.setLength(0);
                for (int k = first[p]; k < first[p + 1]; k++) { // rows are in time order, and ids follow rows
                    int r = touchRows[k];
                    if (k > first[p]) path.append(';');
                    path.append(w.touchTime[r]).append(':').append(r + 1).append(':').append(rollupShape[w.touchShape[r]] + 1);
                }
                String profile = profileId(w, p);
                ps.setString(1, ws);
                ps.setString(2, profile);
                ps.setString(3, profile);
                ps.setString(4, path.toString());
                ps.addBatch();
                flush(ps, (int) rows++);
            }
            ps.executeBatch();
        }
        c.commit();
    }

    private static int setTouch(PreparedStatement ps, int first, Touchpoint t) throws SQLException {
        ps.setString(first, t.source());
        ps.setString(first + 1, t.medium());
        ps.setString(first + 2, t.campaign());
        ps.setString(first + 3, t.term());
        ps.setString(first + 4, t.content());
        ps.setString(first + 5, t.clickIdType() == null ? null : t.clickIdType().wireName());
        ps.setString(first + 6, t.platform().wireName());
        ps.setString(first + 7, t.channel().wireName());
        ps.setString(first + 8, t.campaignId());
        ps.setString(first + 9, t.adSetId());
        ps.setString(first + 10, t.adId());
        return first + 11;
    }

    private void flush(PreparedStatement ps, int i) throws SQLException {
        if ((i + 1) % COMMIT_EVERY != 0) return;
        ps.executeBatch();
        c.commit();
    }

    private long conversionsAndCredits() throws SQLException {
        int[][] byPerson = w.touchesByPerson();
        int[] first = byPerson[0];
        int[] touchRows = byPerson[1];
        Map<Long, double[]> rollup = new HashMap<>();
        int shapes = w.shapes.size();

        long creditRows = 0;
        try (PreparedStatement conv = c.prepareStatement("INSERT INTO attribution_conversions (event_id, workspace_id,"
                + " profile_id, canonical_id, converted_at, day, event_name, value, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement credit = c.prepareStatement("INSERT INTO attribution_credits (event_id, position, touchpoint_id,"
                     + " touched_at, source, medium, campaign, term, content, click_id_type, platform, channel, campaign_id,"
                     + " ad_set_id, ad_id, " + String.join(", ", MODELS.stream().map(AttributionModel::wireName).toList())
                     + ") VALUES (" + String.join(", ", java.util.Collections.nCopies(15 + MODELS.size(), "?")) + ")")) {
            for (int i = 0; i < w.convTime.length; i++) {
                int p = w.convPerson[i];
                String eventId = conversionEventId(w, i);
                String profile = profileId(w, p);
                long at = w.convTime[i];
                int day = (int) ((at - w.start) / AttributionWorkload.DAY);
                double value = w.convValue[i];
                conv.setString(1, eventId);
                conv.setString(2, ws);
                conv.setString(3, profile);
                conv.setString(4, profile);
                conv.setLong(5, at);
                conv.setString(6, day(at));
                conv.setString(7, AttributionWorkload.EVENT_NAMES[w.convEvent[i]]);
                if (Double.isNaN(value)) conv.setNull(8, java.sql.Types.DOUBLE);
                else conv.setDouble(8, value);
                conv.setString(9, AttributionWorkload.CURRENCIES[w.convCurrency[i]]);
                conv.addBatch();

                List<StoredTouch> touches = new ArrayList<>(first[p + 1] - first[p]);
                for (int k = first[p]; k < first[p + 1]; k++) {
                    int r = touchRows[k];
                    touches.add(new StoredTouch(r + 1, Instant.ofEpochMilli(w.touchTime[r]),
                            Instant.ofEpochMilli(w.touchTime[r] + w.touchSeenFor[r]), w.shapes.get(w.touchShape[r])));
                }
                ConversionCredits cc = ConversionCredits.compute(Instant.ofEpochMilli(at), touches, AttributionSettings.DEFAULTS);
                for (int pos = 0; pos < cc.path().size(); pos++) {
                    StoredTouch t = cc.path().get(pos);
                    credit.setString(1, eventId);
                    credit.setInt(2, pos);
                    credit.setLong(3, t.id());
                    credit.setLong(4, t.time().toEpochMilli());
                    int col = setTouch(credit, 5, t.touchpoint());
                    int shape = rollupShape[t.id() == 0 ? w.standIn() : w.touchShape[(int) t.id() - 1]];
                    for (int m = 0; m < MODELS.size(); m++) {
                        double share = cc.credits().get(MODELS.get(m))[pos];
                        credit.setDouble(col + m, share);
                        if (share == 0) continue;
                        long key = ((((long) day * 2 + w.convEvent[i]) * MODELS.size() + m) * 3 + w.convCurrency[i]) * shapes + shape;
                        double[] sum = rollup.computeIfAbsent(key, k -> new double[2]);
                        sum[0] += share;
                        sum[1] += share * (Double.isNaN(value) ? 0 : value);
                    }
                    credit.addBatch();
                    creditRows++;
                }
                if ((i + 1) % 20_000 == 0) {
                    conv.executeBatch();
                    credit.executeBatch();
                    c.commit();
                }
            }
            conv.executeBatch();
            credit.executeBatch();
        }
        int[] shapeOfRollup = new int[shapes];
        int[] rollupShape = this.rollupShape;
        for (int s = shapes - 1; s >= 0; s--) shapeOfRollup[rollupShape[s]] = s;
        writeRollup(rollup, shapes, shapeOfRollup);
        return creditRows;
    }

    private void writeRollup(Map<Long, double[]> rollup, int shapes, int[] shapeOfRollup) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attribution_rollup (workspace_id, day, event_name, model,"
                + " currency, channel, source, medium, campaign, content, term, platform, conversions, revenue)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (var e : rollup.entrySet()) {
                long k = e.getKey();
                int shape = (int) (k % shapes);
                k /= shapes;
                int currency = (int) (k % 3);
                k /= 3;
                int model = (int) (k % MODELS.size());
                k /= MODELS.size();
                int event = (int) (k % 2);
                int day = (int) (k / 2);
                Touchpoint t = w.shapes.get(shapeOfRollup[shape]);
                ps.setString(1, ws);
                ps.setString(2, day(w.start + day * AttributionWorkload.DAY));
                ps.setString(3, AttributionWorkload.EVENT_NAMES[event]);
                ps.setString(4, MODELS.get(model).wireName());
                ps.setString(5, AttributionWorkload.CURRENCIES[currency]);
                int col = 6;
                for (GroupBy g : GroupBy.STORED) ps.setString(col++, g.of(t)); // channel, source, … platform: the column order
                ps.setDouble(13, e.getValue()[0]);
                ps.setDouble(14, e.getValue()[1]);
                ps.addBatch();
                rows++;
            }
            ps.executeBatch();
        }
    }

    private static String day(long millis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC).toString();
    }
}
