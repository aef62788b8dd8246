package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.GroupBy;
import io.touchpoint.core.attribution.report.AdSpend;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Ad delivery rows folded per ad set and ad: spend, the latest names and the platform's own figures. */
class AdLinesTest {
    static final LocalDate D1 = LocalDate.of(2026, 3, 1);
    static final List<AdSpend> ROWS = List.of(
            new AdSpend(D1, "meta", "c1", "Spring", "s1", "Lookalikes", "a1", "Blue shoes", 10, 1000, 30, 2, 80, "meta"),
            new AdSpend(D1, "meta", "c1", "Spring", "s1", "Lookalikes", "a2", "Red shoes", 5, 400, 10, 0, 0, "meta"),
            new AdSpend(D1.plusDays(1), "meta", "c1", "Spring", "s1", "Lookalikes 2", "a1", "Blue shoes v2", 20, 2000, 50, 1, 40, "meta"),
            new AdSpend(D1, "google", null, "Brand", null, null, null, null, 7, 0, 0, 0, 0, "csv"));

    @Test
    void spendAndLinesPerAdSetAndAd() {
        assertThat(AdLines.spend(ROWS, GroupBy.AD, false).get(null)).isEqualTo(Map.of("a1", 30.0, "a2", 5.0));
        assertThat(AdLines.spend(ROWS, GroupBy.AD_SET, false).get(null)).isEqualTo(Map.of("s1", 35.0));
        assertThat(AdLines.spend(ROWS, GroupBy.AD, true).get(D1.plusDays(1))).isEqualTo(Map.of("a1", 20.0));

        Report.AdLine a1 = AdLines.lines(ROWS, GroupBy.AD).get("a1");
        assertThat(a1).isEqualTo(new Report.AdLine("meta", "c1", "Spring", "s1", "Lookalikes 2", "a1", "Blue shoes v2",
                3000, 80, 3, 120));
        Report.AdLine s1 = AdLines.lines(ROWS, GroupBy.AD_SET).get("s1");
        assertThat(s1.ad()).isNull();
        assertThat(s1.impressions()).isEqualTo(3400);
        assertThat(AdLines.lines(ROWS, GroupBy.AD)).doesNotContainKey(null);
    }
}
