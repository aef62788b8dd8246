package io.touchpoint.core.attribution;

import io.touchpoint.core.attribution.models.GroupCredit;
import io.touchpoint.core.attribution.models.Journey;
import io.touchpoint.core.attribution.models.MarkovModel;
import io.touchpoint.core.attribution.models.ShapleyModel;
import io.touchpoint.core.attribution.report.JourneyRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The data-driven models over a workspace's journeys at one grouping (SPEC §8): with {@link GroupBy#CAMPAIGN} the
 * Markov states and the Shapley players are campaigns, and so on. Journeys are fed one at a time and kept as lists
 * of shared group names, so a million journeys cost tens of megabytes, not the touchpoints they came from.
 */
public final class DataDrivenCredits implements Consumer<JourneyRecord> {
    public record Result(Map<String, GroupCredit> markov, Map<String, GroupCredit> shapley, long journeys,
                         long convertingJourneys, double conversions, double value) {
    }

    private final GroupBy groupBy;
    private final List<Journey> journeys = new ArrayList<>();
    private final Map<String, String> names = new HashMap<>();
    private long converting;
    private double conversions;
    private double value;

    public DataDrivenCredits(GroupBy groupBy) {
        this.groupBy = groupBy;
    }

    @Override
    public void accept(JourneyRecord r) {
        List<String> states = new ArrayList<>(r.path().size());
        for (Touchpoint t : r.path()) {
            String g = groupBy.of(t);
            states.add(names.computeIfAbsent(g, x -> x));
        }
        journeys.add(new Journey(states, r.converted() ? 1 : 0, r.converted() ? r.value() : 0));
        if (r.converted()) {
            converting++;
            conversions++;
            value += r.value();
        }
    }

    public Result compute() {
        return new Result(MarkovModel.credits(journeys), ShapleyModel.credits(journeys), journeys.size(), converting,
                conversions, value);
    }
}
