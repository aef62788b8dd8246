package io.touchpoint.core.attribution.models;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AttributionModelTest {
    @Test
    void wireNamesAndLabels() {
        assertThat(Arrays.stream(AttributionModel.values()).map(AttributionModel::wireName)).containsExactly(
                "first_touch", "last_touch", "last_non_direct", "linear", "time_decay", "position_based",
                "markov", "shapley", "linear_paid", "source_first_touch", "source_last_touch");
        assertThat(Arrays.stream(AttributionModel.values()).map(AttributionModel::label)).containsExactly(
                "First touch", "Last touch", "Last non-direct", "Linear", "Time decay", "Position-based",
                "Markov chain", "Shapley", "Linear paid", "Source first touch", "Source last touch");
    }

    @Test
    void theFirstSixAreRuleBased() {
        assertThat(AttributionModel.RULE_BASED).containsExactly(AttributionModel.FIRST_TOUCH,
                AttributionModel.LAST_TOUCH, AttributionModel.LAST_NON_DIRECT, AttributionModel.LINEAR,
                AttributionModel.TIME_DECAY, AttributionModel.POSITION_BASED);
        assertThat(Arrays.stream(AttributionModel.values()).filter(AttributionModel::ruleBased).toList())
                .isEqualTo(AttributionModel.RULE_BASED);
        assertThat(AttributionModel.MARKOV.ruleBased()).isFalse();
        assertThat(AttributionModel.SHAPLEY.ruleBased()).isFalse();
        assertThat(AttributionModel.LINEAR_PAID.ruleBased()).isFalse();
        assertThat(AttributionModel.LINEAR_PAID.pathBased()).isTrue();
        assertThat(AttributionModel.SOURCE_LAST_TOUCH.needsPlatform()).isTrue();
        assertThat(Arrays.stream(AttributionModel.values()).filter(AttributionModel::dataDriven).toList())
                .containsExactly(AttributionModel.MARKOV, AttributionModel.SHAPLEY);
    }

    @Test
    void allMeansTheStoredAndDataDrivenModels() {
        assertThat(AttributionModel.ALL).hasSize(8).doesNotContain(AttributionModel.LINEAR_PAID,
                AttributionModel.SOURCE_FIRST_TOUCH, AttributionModel.SOURCE_LAST_TOUCH);
    }

    @Test
    void fromWireNameRoundTripsAndRejectsOthers() {
        for (AttributionModel m : AttributionModel.values()) {
            assertThat(AttributionModel.fromWireName(m.wireName())).contains(m);
        }
        for (String bad : List.of("", "LINEAR", "Linear", "data_driven", " linear")) {
            assertThat(AttributionModel.fromWireName(bad)).isEqualTo(Optional.empty());
        }
        assertThat(AttributionModel.fromWireName(null)).isEmpty();
    }
}
