package io.touchpoint.core.attribution.models;

import java.util.List;
import java.util.Optional;

/** The attribution models (docs/ATTRIBUTION.md): six rule-based ones that credit one conversion's path, two data-driven. */
public enum AttributionModel {
    FIRST_TOUCH("First touch"),
    LAST_TOUCH("Last touch"),
    LAST_NON_DIRECT("Last non-direct"),
    LINEAR("Linear"),
    TIME_DECAY("Time decay"),
    POSITION_BASED("Position-based"),
    MARKOV("Markov chain"),
    SHAPLEY("Shapley");

    /** The rule-based models, in declaration order. */
    public static final List<AttributionModel> RULE_BASED =
            List.of(FIRST_TOUCH, LAST_TOUCH, LAST_NON_DIRECT, LINEAR, TIME_DECAY, POSITION_BASED);

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

    /** True for the models that credit a single conversion's path by a fixed rule; false for Markov and Shapley. */
    public boolean ruleBased() {
        return this != MARKOV && this != SHAPLEY;
    }

    public static Optional<AttributionModel> fromWireName(String wireName) {
        if (wireName == null) return Optional.empty();
        for (AttributionModel m : values()) {
            if (m.wireName().equals(wireName)) return Optional.of(m);
        }
        return Optional.empty();
    }
}
