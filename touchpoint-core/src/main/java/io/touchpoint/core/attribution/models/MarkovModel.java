package io.touchpoint.core.attribution.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The first-order Markov chain model (Anderl, Becker, von Wangenheim &amp; Schumann 2016), solved
 * exactly as an absorbing chain.
 *
 * <p>States are (start), one per group, (conversion) and (null). Every journey is one path observation:
 * start → s1 → … → sk → (conversion) if it converted (whatever its number of conversions), else → (null).
 * Consecutive repeats of a group collapse into one visit (A,A,B is A,B); a group seen again later (A,B,A) is a
 * loop. Transition probabilities are the counts normalised per source state.
 *
 * <p>The removal effect of group i is 1 − P(conversion | i removed) / P(conversion), where removing i sends every
 * transition into i to (null). Credits are the removal effects normalised to sum to 1, times the total
 * conversions (and, separately, the total value) of the journeys that have at least one state.
 *
 * <p>A journey with no states goes start → (conversion) or (null) directly: it counts in P(conversion) but no
 * group is credited with its conversions or value, so credits reconcile with the caller's totals only if every
 * converting journey has at least one state. With no conversions at all (or no removal effect anywhere), every
 * group is credited 0.
 *
 * <p>How it is solved. With Q the transitions among transient states, b the one-step conversion probabilities
 * and N = (I − Q)⁻¹, P(conversion from s) is x = N b. Removing i zeroes column i of Q, a rank-one change, so by
 * Sherman–Morrison P(conversion from start | i removed) = x₀ − (N₀ᵢ / Nᵢᵢ) xᵢ: the probability of ever
 * reaching i times the probability of converting from there. One LU factorisation of I − Q therefore serves
 * every removal: x, row 0 of N and the diagonal of N cost three triangular passes. I − Q is a non-singular
 * M-matrix (every state seen leads to absorption), for which elimination without pivoting is stable, so there is
 * no pivoting. The factorisation is dense and skips zeros, about n³/3 multiply-adds at worst plus the same
 * again for the diagonal of N; memory is two n × n arrays of doubles (64 MB for 2,000 groups). Transitions are
 * counted in a primitive table (see {@link TransitionCounts}) and journeys are not retained, so the input can
 * be streamed. Measured on a shared two-core machine (before the solver was blocked for the cache): a million
 * journeys over 2,000 groups with transitions spread uniformly (the dense worst case) took about 5 s when the
 * machine was quiet, under 1 s of it counting, and up to 20 s under a load average of 10; real journeys,
 * whose transitions concentrate on far fewer pairs, leave more zeros to skip.
 */
public final class MarkovModel {
    private static final int START = 0;
    private static final int CONVERSION = -1;
    private static final int NULL = -2;

    private MarkovModel() {
    }

    /** Each group's credit, keyed and sorted by group. */
    public static Map<String, GroupCredit> credits(Iterable<Journey> journeys) {
        Chain chain = Chain.of(journeys);
        double[] effects = chain.removalEffects();
        double sum = 0;
        for (int i = 1; i < effects.length; i++) sum += effects[i];
        Map<String, GroupCredit> out = new TreeMap<>();
        for (int i = 1; i < chain.names.size(); i++) {
            double share = sum > 0 ? effects[i] / sum : 0;
            out.put(chain.names.get(i), new GroupCredit(share * chain.creditableConversions,
                    share * chain.creditableValue));
        }
        return out;
    }

    /** Each group's removal effect, keyed and sorted by group; exposed for reports that show them raw. */
    public static Map<String, Double> removalEffects(Iterable<Journey> journeys) {
        Chain chain = Chain.of(journeys);
        double[] effects = chain.removalEffects();
        Map<String, Double> out = new TreeMap<>();
        for (int i = 1; i < chain.names.size(); i++) out.put(chain.names.get(i), effects[i]);
        return out;
    }

    /** Aggregated transition counts: transient state 0 is (start), 1.. are groups in order of first sight. */
    private static final class Chain {
        final List<String> names = new ArrayList<>();
        final Map<String, Integer> ids = new HashMap<>();
        final TransitionCounts counts = new TransitionCounts();
        double creditableConversions;
        double creditableValue;

        static Chain of(Iterable<Journey> journeys) {
            Chain c = new Chain();
            c.names.add("(start)");
            for (Journey j : journeys) c.add(j);
            return c;
        }

        void add(Journey j) {
            int prev = START;
            for (String s : j.states()) {
                int id = ids.computeIfAbsent(s, k -> {
                    names.add(k);
                    return names.size() - 1;
                });
                if (id == prev) continue;
                counts.add(prev, id);
                prev = id;
            }
            counts.add(prev, j.converted() ? CONVERSION : NULL);
            if (!j.states().isEmpty()) {
                creditableConversions += j.conversions();
                creditableValue += j.value();
            }
        }

        /** Removal effect per transient state (index 0, start, is unused). */
        double[] removalEffects() {
            int n = names.size();
            double[] out = new double[n];
            double[] total = new double[n];
            counts.forEach((from, to, count) -> total[from] += count);
            double[][] a = new double[n][n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++) a[i][i] = 1;
            counts.forEach((from, to, count) -> {
                double p = count / total[from];
                if (to >= 0) {
                    a[from][to] -= p;
                } else if (to == CONVERSION) {
                    b[from] += p;
                }
            });
            if (java.util.Arrays.stream(b).allMatch(p -> p == 0)) return out;
            Lu lu = new Lu(a);
            double[] x = lu.solve(b);
            if (!(x[START] > 0)) return out;
            double[] fromStart = lu.solveTransposed(unit(n, START)); // row 0 of N: expected visits from start
            double[] diag = lu.inverseDiagonal();                   // N_ii: expected visits to i from i
            for (int i = 1; i < n; i++) {
                // P(conversion and i visited) / P(conversion) = 1 − P(conversion | i removed) / P(conversion)
                double e = fromStart[i] / diag[i] * x[i] / x[START];
                out[i] = Math.min(1, Math.max(0, e));
            }
            return out;
        }

        private static double[] unit(int n, int i) {
            double[] e = new double[n];
            e[i] = 1;
            return e;
        }
    }

    /** LU factorisation without pivoting (see the class comment for why that is safe here), in place. */
    private static final class Lu {
        private static final int BLOCK = 32;
        private final double[][] a;
        private final int n;

        Lu(double[][] a) {
            this.a = a;
            this.n = a.length;
            // Row by row, each row taking the eliminations of a block of pivot rows at once: the same operations
            // in the same order per row as textbook elimination, but the block stays in cache instead of every
            // pivot sweeping the whole trailing matrix (32 MB at 2,000 states) through memory.
            for (int k0 = 0; k0 < n; k0 += BLOCK) {
                int k1 = Math.min(n, k0 + BLOCK);
                for (int i = k0; i < n; i++) {
                    double[] ri = a[i];
                    for (int k = k0, end = Math.min(i, k1); k < end; k++) {
                        if (ri[k] == 0) continue;
                        double[] rk = a[k];
                        double f = ri[k] / rk[k];
                        ri[k] = f;
                        for (int j = k + 1; j < n; j++) ri[j] -= f * rk[j];
                    }
                    if (i < k1 && !(ri[i] > 0)) {
                        throw new IllegalStateException("not an absorbing chain: pivot " + ri[i]);
                    }
                }
            }
        }

        /** x with A x = b. */
        double[] solve(double[] b) {
            double[] x = b.clone();
            for (int i = 0; i < n; i++) {
                double[] ri = a[i];
                double s = x[i];
                for (int j = 0; j < i; j++) s -= ri[j] * x[j];
                x[i] = s;
            }
            for (int i = n - 1; i >= 0; i--) {
                double[] ri = a[i];
                double s = x[i];
                for (int j = i + 1; j < n; j++) s -= ri[j] * x[j];
                x[i] = s / ri[i];
            }
            return x;
        }

        /** z with Aᵀ z = b, i.e. zᵀ = bᵀ A⁻¹. Row-oriented so it reads the factors row by row. */
        double[] solveTransposed(double[] b) {
            double[] r = b.clone();
            for (int j = 0; j < n; j++) { // Uᵀ w = b
                double[] rj = a[j];
                double w = r[j] / rj[j];
                r[j] = w;
                if (w != 0) for (int i = j + 1; i < n; i++) r[i] -= rj[i] * w;
            }
            for (int j = n - 1; j >= 0; j--) { // Lᵀ z = w
                double[] rj = a[j];
                double z = r[j];
                if (z != 0) for (int i = 0; i < j; i++) r[i] -= rj[i] * z;
            }
            return r;
        }

        /** The diagonal of A⁻¹ = U⁻¹ L⁻¹: entry i is Σ_{k≥i} (U⁻¹)_ik (L⁻¹)_ki. */
        double[] inverseDiagonal() {
            // m holds L⁻¹ strictly below the diagonal (its unit diagonal implied) and U⁻¹ on and above it.
            double[][] m = new double[n][n];
            // L⁻¹ row i = −Σ_{k<i} L_ik (row k of L⁻¹), blocked over k as in the factorisation.
            for (int k0 = 0; k0 < n; k0 += BLOCK) {
                int k1 = Math.min(n, k0 + BLOCK);
                for (int i = k0; i < n; i++) {
                    double[] li = a[i];
                    double[] mi = m[i];
                    for (int k = k0, end = Math.min(i, k1); k < end; k++) {
                        double l = li[k];
                        if (l == 0) continue;
                        mi[k] -= l;
                        double[] mk = m[k];
                        for (int j = 0; j < k; j++) mi[j] -= l * mk[j];
                    }
                }
            }
            // U⁻¹ row i = (e_i − Σ_{k>i} U_ik (row k of U⁻¹)) / U_ii, from the bottom up, blocked likewise.
            for (int i = 0; i < n; i++) m[i][i] = 1;
            for (int k1 = n; k1 > 0; k1 -= BLOCK) {
                int k0 = Math.max(0, k1 - BLOCK);
                for (int i = k1 - 1; i >= 0; i--) {
                    double[] ui = a[i];
                    double[] mi = m[i];
                    for (int k = Math.max(i + 1, k0); k < k1; k++) {
                        double u = ui[k];
                        if (u == 0) continue;
                        double[] mk = m[k];
                        for (int j = k; j < n; j++) mi[j] -= u * mk[j];
                    }
                    if (i >= k0) { // the last block row i needs: it is complete
                        double d = ui[i];
                        for (int j = i; j < n; j++) mi[j] /= d;
                    }
                }
            }
            double[] diag = new double[n];
            for (int i = 0; i < n; i++) {
                double s = m[i][i];
                for (int k = i + 1; k < n; k++) s += m[i][k] * m[k][i];
                diag[i] = s;
            }
            return diag;
        }
    }
}
