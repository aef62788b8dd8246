package io.touchpoint.core.attribution.models;

import java.util.List;
import java.util.Optional;

/**
 * The attribution models (docs/ATTRIBUTION.md): six rule-based ones that credit one conversion's path and whose credits
 * are stored, two data-driven ones, and three that a report computes on the fly from the path (linear over paid touches,
 * and first or last touch among one platform's touches).
 */
public enum AttributionModel {
    FIRST_TOUCH("First touch"),
    LAST_TOUCH("Last touch"),
    LAST_NON_DIRECT("Last non-direct"),
    LINEAR("Linear"),
    TIME_DECAY("Time decay"),
    POSITION_BASED("Position-based"),
    MARKOV("Markov chain"),
    SHAPLEY("Shapley"),
    LINEAR_PAID("Linear paid"),
    SOURCE_FIRST_TOUCH("Source first touch"),
    SOURCE_LAST_TOUCH("Source last touch");

    /** The rule-based models, in declaration order: the ones whose credits the attribution stage stores. */
    public static final List<AttributionModel> RULE_BASED =
            List.of(FIRST_TOUCH, LAST_TOUCH, LAST_NON_DIRECT, LINEAR, TIME_DECAY, POSITION_BASED);

    /** What a report's {@code model=all} means: the stored rule-based models and the two data-driven ones. */
    public static final List<AttributionModel> ALL =
            List.of(FIRST_TOUCH, LAST_TOUCH, LAST_NON_DIRECT, LINEAR, TIME_DECAY, POSITION_BASED, MARKOV, SHAPLEY);

    private final String label;

    AttributionModel(String label) {
        this.label = label;
    }

    /** The name used in the API and in stored rows, e.g. "last_non_direct". */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The display name, e.g. "Markov chain". */
    public String label() {
        return label;
    }

    /** True for the six models whose per-conversion credits are stored (receipts, destinations, the rollup). */
    public boolean ruleBased() {
        return RULE_BASED.contains(this);
    }

    /** True for Markov and Shapley, which credit a population of journeys rather than one path. */
    public boolean dataDriven() {
        return this == MARKOV || this == SHAPLEY;
    }

    /** True for the models that credit one conversion's path, stored or not: every model but the data-driven ones. */
    public boolean pathBased() {
        return !dataDriven();
    }

    /** True for the source-specific models, which need the platform whose touches they look at. */
    public boolean needsPlatform() {
        return this == SOURCE_FIRST_TOUCH || this == SOURCE_LAST_TOUCH;
    }

    public static Optional<AttributionModel> fromWireName(String wireName) {
        if (wireName == null) return Optional.empty();
        for (AttributionModel m : values()) {
            if (m.wireName().equals(wireName)) return Optional.of(m);
        }
        return Optional.empty();
    }
}
