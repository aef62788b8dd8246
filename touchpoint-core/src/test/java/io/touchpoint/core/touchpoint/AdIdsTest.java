package io.touchpoint.core.touchpoint;

import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Context;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ad ids of the tracking templates in docs/ATTRIBUTION.md, as each platform fills them in. */
class AdIdsTest {
    private static Touchpoint landing(String url, Campaign campaign) {
        return EventTouch.of("page_view", new Context(null, null, url, null, campaign, null), List.of()).orElseThrow().touchpoint();
    }

    @Test
    void metasTemplateFilledIn() {
        Touchpoint t = landing("https://shop.io/?utm_source=facebook&utm_medium=paid_social&utm_campaign=Spring"
                + "&utm_content=Blue+shoes&campaign_id=120210001&adset_id=120210002&ad_id=120210003&fbclid=F1", null);
        assertThat(t.adIds()).isEqualTo(new AdIds("120210001", "120210002", "120210003"));
        assertThat(t.platform()).isEqualTo(Platform.META);
        assertThat(t.campaign()).isEqualTo("Spring");
    }

    @Test
    void googlesValueTrackParametersAndUtmId() {
        Touchpoint t = landing("https://shop.io/?gclid=G1&utm_id=2001&adgroupid=3001&creative=4001", null);
        assertThat(t.adIds()).isEqualTo(new AdIds("2001", "3001", "4001"));
        Touchpoint named = landing("https://shop.io/?gclid=G1&campaignid=2002&campaign_id=2003", null);
        assertThat(named.campaignId()).as("the dedicated parameter comes first").isEqualTo("2003");
    }

    @Test
    void tiktoksMacrosFilledInAndLeftUnexpanded() {
        Touchpoint t = landing("https://shop.io/?ttclid=T1&campaign_id=17001&adgroup_id=17002&ad_id=17003", null);
        assertThat(t.adIds()).isEqualTo(new AdIds("17001", "17002", "17003"));
        // a preview click leaves the macros as they were typed: no ids
        Touchpoint preview = landing("https://shop.io/?ttclid=T1&campaign_id=__CAMPAIGN_ID__&adset_id=__AID__&ad_id=__CID__", null);
        assertThat(preview.adIds()).isEqualTo(AdIds.NONE);
        Touchpoint metaPreview = landing("https://shop.io/?fbclid=F&ad_id=%7B%7Bad.id%7D%7D&adgroupid={adgroupid}", null);
        assertThat(metaPreview.adIds().isEmpty()).isTrue();
    }

    @Test
    void cometFieldsWinOverTheUrl() {
        Campaign comet = new Campaign("facebook", "cpc", "Spring", null, null, null, "as_9", "ad_9", null, null, null);
        Touchpoint t = landing("https://shop.io/?adset_id=1&ad_id=2&campaign_id=3", comet);
        assertThat(t.adIds()).isEqualTo(new AdIds("3", "as_9", "ad_9"));
        assertThat(landing("https://shop.io/", null).adIds()).isEqualTo(AdIds.NONE);
        assertThat(new AdIds("x".repeat(300), " ", null)).isEqualTo(new AdIds("x".repeat(AdIds.MAX_LENGTH), null, null));
    }
}
