package io.touchpoint.core.attribution.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Shapley model in the simplified form of Zhao, Mahboobi &amp; Bagheri 2018. With R(A) the
 * conversions of the journeys whose set of distinct groups is exactly A, and the coalition value
 * v(S) = Σ_{A⊆S} R(A), the Shapley value of group j reduces to Σ_{S∋j} R(S)/|S|: each converting journey's
 * conversions (and value) split equally among its distinct groups. Order and repeats within a journey do not
 * matter; journeys that did not convert add nothing; a converting journey with no states credits no group.
 */
public final class ShapleyModel {
    private ShapleyModel() {
    }

    /** Each group's credit, keyed and sorted by group; groups seen only in non-converting journeys get 0. */
    public static Map<String, GroupCredit> credits(Iterable<Journey> journeys) {
        Map<String, double[]> sums = new HashMap<>();
        for (Journey j : journeys) {
            Set<String> groups = new LinkedHashSet<>(j.states());
            double conversions = j.converted() ? j.conversions() / groups.size() : 0;
            double value = j.converted() ? j.value() / groups.size() : 0;
            for (String g : groups) {
                double[] s = sums.computeIfAbsent(g, k -> new double[2]);
                s[0] += conversions;
                s[1] += value;
            }
        }
        Map<String, GroupCredit> out = new TreeMap<>();
        sums.forEach((g, s) -> out.put(g, new GroupCredit(s[0], s[1])));
        return out;
    }

    /** v(S) = Σ_{A⊆S} R(A): what the coalition S converts on its own. */
    public static double characteristic(Map<Set<String>, Double> r, Set<String> s) {
        double v = 0;
        for (Map.Entry<Set<String>, Double> e : r.entrySet()) {
            if (s.containsAll(e.getKey())) v += e.getValue();
        }
        return v;
    }

    /**
     * The textbook Shapley value over {@link #characteristic}: φ_j = Σ_{S ⊆ N∖{j}} |S|! (n−|S|−1)! / n! ·
     * (v(S∪{j}) − v(S)), over every subset of the players N (the groups named in {@code r}). Exponential in
     * the number of groups; it exists to show that {@link #credits} is the same thing, not for production use.
     */
    public static Map<String, Double> bruteForceShapley(Map<Set<String>, Double> r) {
        List<String> players = new ArrayList<>(new TreeSet<>(r.keySet().stream().flatMap(Set::stream).toList()));
        int n = players.size();
        if (n > 20) throw new IllegalArgumentException("too many players for brute force: " + n);
        double[] factorial = new double[n + 1];
        factorial[0] = 1;
        for (int i = 1; i <= n; i++) factorial[i] = factorial[i - 1] * i;
        Map<String, Double> phi = new TreeMap<>();
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int mask = 0; mask < 1 << n; mask++) {
                if ((mask & (1 << j)) != 0) continue;
                Set<String> s = subset(players, mask);
                Set<String> withJ = new TreeSet<>(s);
                withJ.add(players.get(j));
                double weight = factorial[s.size()] * factorial[n - s.size() - 1] / factorial[n];
                sum += weight * (characteristic(r, withJ) - characteristic(r, s));
            }
            phi.put(players.get(j), sum);
        }
        return phi;
    }

    private static Set<String> subset(List<String> players, int mask) {
        Set<String> s = new TreeSet<>();
        for (int i = 0; i < players.size(); i++) {
            if ((mask & (1 << i)) != 0) s.add(players.get(i));
        }
        return s;
    }
}
