package io.touchpoint.server.attribution;

import io.touchpoint.core.attribution.report.SpendRow;
import io.touchpoint.server.http.ApiException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spend CSV: the campaign-level file as before, and ad sets, ads and the platforms' ids in any column order. */
class SpendCsvTest {
    @Test
    void aCampaignLevelFileReadsAsBefore() {
        List<SpendRow> rows = SpendCsv.parse("date,platform,campaign,spend,currency\n2026-03-01,facebook,Spring,40.5,USD\n", "USD");
        assertThat(rows).containsExactly(new SpendRow(LocalDate.of(2026, 3, 1), "meta", "Spring", new BigDecimal("40.5"), "USD"));
    }

    @Test
    void adSetsAdsAndIdsAreReadInAnyOrderAndBlankOnesAreAbsent() {
        List<SpendRow> rows = SpendCsv.parse("""
                ad,currency,spend,campaign,ad_set,platform,date,ad_id,campaign_id
                Video A,EUR,12,Spring,Retargeting,meta,2026-03-01,a-1,c-1
                ,EUR,3,Spring,Prospecting,meta,2026-03-01,,
                """, "EUR");
        assertThat(rows).containsExactly(
                new SpendRow(LocalDate.of(2026, 3, 1), "meta", "c-1", "Spring", null, "Retargeting", "a-1", "Video A",
                        new BigDecimal("12"), "EUR"),
                new SpendRow(LocalDate.of(2026, 3, 1), "meta", null, "Spring", null, "Prospecting", null, null,
                        new BigDecimal("3"), "EUR"));
    }

    @Test
    void anUnknownOrRepeatedColumnAndAnAdWithoutItsAdSetAreRefused() {
        assertThatThrownBy(() -> SpendCsv.parse("date,platform,campaign,spend,currency,creative\n", "EUR"))
                .isInstanceOf(ApiException.class).hasMessageContaining("ad_set");
        assertThatThrownBy(() -> SpendCsv.parse("date,platform,campaign,spend,currency,ad,ad\n", "EUR"))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> SpendCsv.parse("date,platform,campaign,ad,spend,currency\n2026-03-01,meta,Spring,Video,1,EUR\n", "EUR"))
                .isInstanceOf(ApiException.class).hasMessageContaining("an ad needs its ad_set");
    }
}
