package io.touchpoint.core.attribution.engine;

import io.touchpoint.core.attribution.ConversionCredits;
import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.touchpoint.Channel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The touch shapes a report index knows, numbered densely: each one's group values, whether it is Direct, whether its
 * channel is paid. Shape 0 is the Direct stand-in of a conversion with no touchpoint in its window. Only grows, and
 * only the builder of a workspace's next index adds to it; each {@link ReportIndex} reads a {@link #freeze frozen} copy.
 */
final class Shapes {
    static final int STAND_IN = 0;
    private static final int GROUPS = GroupBy.values().length;

    private final Map<List<String>, Integer> byValues = new HashMap<>();
    private final List<String[]> values = new ArrayList<>();
    private boolean[] direct = new boolean[16];
    private boolean[] paid = new boolean[16];

    Shapes() {
        var standIn = ConversionCredits.directStandIn(Instant.EPOCH).touchpoint();
        List<String> v = new ArrayList<>(GROUPS);
        for (GroupBy g : GroupBy.values()) v.add(g.of(standIn));
        of(v);
    }

    /** The dense number of the shape with these group values, made on first sight. */
    int of(List<String> groupValues) {
        Integer id = byValues.get(groupValues);
        if (id != null) return id;
        int n = values.size();
        String[] v = groupValues.toArray(new String[0]);
        if (v.length != GROUPS) throw new IllegalArgumentException("a shape has " + GROUPS + " group values");
        values.add(v);
        byValues.put(List.of(v), n);
        if (n == direct.length) {
            direct = java.util.Arrays.copyOf(direct, n * 2);
            paid = java.util.Arrays.copyOf(paid, n * 2);
        }
        Channel channel = channelOf(v[GroupBy.CHANNEL.ordinal()]);
        direct[n] = channel == Channel.DIRECT;
        paid[n] = channel != null && channel.paid();
        return n;
    }

    /** The shapes as they are now, for an index to read while later shapes are added. */
    Frozen freeze() {
        int n = values.size();
        return new Frozen(values.toArray(new String[0][]), java.util.Arrays.copyOf(direct, n), java.util.Arrays.copyOf(paid, n));
    }

    record Frozen(String[][] values, boolean[] direct, boolean[] paid) {
        int size() {
            return values.length;
        }

        String value(int shape, GroupBy g) {
            return values[shape][g.ordinal()];
        }
    }

    int size() {
        return values.size();
    }

    private static Channel channelOf(String label) {
        for (Channel c : Channel.values()) if (c.label().equals(label)) return c;
        return null;
    }
}
