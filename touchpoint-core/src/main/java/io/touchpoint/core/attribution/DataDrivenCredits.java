package io.touchpoint.core.attribution;

import io.touchpoint.core.attribution.models.GroupCredit;
import io.touchpoint.core.attribution.models.Journey;
import io.touchpoint.core.attribution.models.MarkovModel;
import io.touchpoint.core.attribution.models.ShapleyModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The data-driven models over a workspace's journeys at one grouping (docs/ATTRIBUTION.md): the journeys arrive as groups
 * (with {@link GroupBy#CAMPAIGN} the Markov states and the Shapley players are campaigns, and so on) one at a
 * time, and are kept as lists of shared group names, so a million journeys cost tens of megabytes, not the
 * touchpoints they came from.
 */
public final class DataDrivenCredits implements Consumer<Journey> {
    public record Result(Map<String, GroupCredit> markov, Map<String, GroupCredit> shapley, long journeys,
                         long convertingJourneys, double conversions, double value) {
    }

    private final List<Journey> journeys = new ArrayList<>();
    private long converting;
    private double conversions;
    private double value;

    @Override
    public void accept(Journey j) {
        journeys.add(j);
        if (j.converted()) {
            converting++;
            conversions += j.conversions();
            value += j.value();
        }
    }

    public Result compute() {
        return new Result(MarkovModel.credits(journeys), ShapleyModel.credits(journeys), journeys.size(), converting,
                conversions, value);
    }
}
