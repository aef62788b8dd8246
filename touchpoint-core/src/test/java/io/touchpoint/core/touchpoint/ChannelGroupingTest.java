package io.touchpoint.core.touchpoint;

import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The default channel grouping table: one row per rule of GA4's, plus the click-id rows. */
class ChannelGroupingTest {
    private static final String PAGE = "https://shop.example.com/landing";

    /**
     * utm_source, utm_medium, utm_campaign, referrer, click id type=value, → channel, platform.
     * Empty cells are absent values.
     */
    @ParameterizedTest(name = "[{index}] {0}/{1}/{2} ref={3} click={4} -> {5} {6}")
    @CsvSource(nullValues = "", value = {
            // no source, medium or referrer
            ",,,,, DIRECT, NONE",
            "(direct),(none),,,, DIRECT, NONE",
            // same-site referrer is not a source
            ",,,https://shop.example.com/other,, DIRECT, NONE",
            // click ids without UTM imply platform and a paid channel
            ",,,,gclid=abc, PAID_SEARCH, GOOGLE",
            ",,,,gbraid=abc, PAID_SEARCH, GOOGLE",
            ",,,,wbraid=abc, PAID_SEARCH, GOOGLE",
            ",,,,fbclid=abc, PAID_SOCIAL, META",
            ",,,,fbc=fb.1.1.abc, PAID_SOCIAL, META",
            ",,,,msclkid=abc, PAID_SEARCH, MICROSOFT",
            ",,,,ttclid=abc, PAID_SOCIAL, TIKTOK",
            ",,,,li_fat_id=abc, PAID_SOCIAL, LINKEDIN",
            ",,,,twclid=abc, PAID_SOCIAL, X",
            // a click id beats the referrer
            ",,,https://www.google.com/,gclid=abc, PAID_SEARCH, GOOGLE",
            // UTM with click id
            "facebook,paid,spring,,fbclid=abc, PAID_SOCIAL, META",
            "facebook,,,,fbclid=abc, PAID_SOCIAL, META",
            // GA4 rules in order
            "google,cpc,my cross-network campaign,,, CROSS_NETWORK, GOOGLE",
            "amazon,cpc,,,, PAID_SHOPPING, NONE",
            "newsletter,paid,summer shopping,,, PAID_SHOPPING, NONE",
            "google,cpc,,,, PAID_SEARCH, GOOGLE",
            "bing,ppc,,,, PAID_SEARCH, MICROSOFT",
            "facebook,paid,,,, PAID_SOCIAL, META",
            "Instagram,paid_social,,,, PAID_SOCIAL, META",
            "linkedin,cpc,,,, PAID_SOCIAL, LINKEDIN",
            "tiktok,paid,,,, PAID_SOCIAL, TIKTOK",
            "youtube,cpv,,,, PAID_VIDEO, GOOGLE",
            "somenetwork,display,,,, DISPLAY, NONE",
            "somenetwork,banner,,,, DISPLAY, NONE",
            "somenetwork,retargeting,,,, PAID_OTHER, NONE",
            "etsy,,,,, ORGANIC_SHOPPING, NONE",
            "facebook,social,,,, ORGANIC_SOCIAL, META",
            "partner,social-network,,,, ORGANIC_SOCIAL, NONE",
            "vimeo,,,,, ORGANIC_VIDEO, NONE",
            "partner,video,,,, ORGANIC_VIDEO, NONE",
            "duckduckgo,,,,, ORGANIC_SEARCH, NONE",
            "partner,organic,,,, ORGANIC_SEARCH, NONE",
            "partner,referral,,,, REFERRAL, NONE",
            "newsletter,email,,,, EMAIL, NONE",
            "e-mail,,,,, EMAIL, NONE",
            "partner,affiliate,,,, AFFILIATES, NONE",
            "podcast,audio,,,, AUDIO, NONE",
            "sms,,,,, SMS, NONE",
            "app,web-push,,,, MOBILE_PUSH_NOTIFICATIONS, NONE",
            "firebase,,,,, MOBILE_PUSH_NOTIFICATIONS, NONE",
            "partner,something,,,, UNASSIGNED, NONE",
            // referrer only: GA4 derives source and medium from it
            ",,,https://www.google.co.uk/search?q=x,, ORGANIC_SEARCH, GOOGLE",
            ",,,https://l.facebook.com/,, ORGANIC_SOCIAL, META",
            ",,,https://t.co/abc,, ORGANIC_SOCIAL, X",
            ",,,https://blog.partner.org/post,, REFERRAL, NONE",
    })
    void table(String source, String medium, String campaign, String referrer, String click, Channel channel,
               Platform platform) {
        List<Identifier> ids = new ArrayList<>();
        if (click != null) {
            String[] kv = click.split("=", 2);
            ids.add(new Identifier(IdentifierType.fromWireName(kv[0]).orElseThrow(), kv[1]));
        }
        Campaign c = new Campaign(source, medium, campaign, null, null, null, null, null, null, null, null);
        Touchpoint t = ChannelGrouping.classify(new ChannelGrouping.Visit(c, referrer, PAGE, ids));
        assertThat(t.channel()).isEqualTo(channel);
        assertThat(t.platform()).isEqualTo(platform);
    }

    @Test
    void gclidWithoutUtmIsPaidSearchOnGoogleWithImpliedSourceAndMedium() {
        Touchpoint t = ChannelGrouping.classify(new ChannelGrouping.Visit(Campaign.NONE, null, PAGE,
                List.of(new Identifier(IdentifierType.GCLID, "Cj0KCQ"))));
        assertThat(t).isEqualTo(new Touchpoint("google", "cpc", null, null, null, IdentifierType.GCLID, "Cj0KCQ",
                Platform.GOOGLE, Channel.PAID_SEARCH));
    }

    @Test
    void keepsTheCampaignFields() {
        Campaign c = new Campaign("facebook", "paid", "spring", "shoes", "blue", null, null, null, null, null, null);
        Touchpoint t = ChannelGrouping.classify(new ChannelGrouping.Visit(c, null, PAGE,
                List.of(new Identifier(IdentifierType.FBCLID, "abc"))));
        assertThat(t).isEqualTo(new Touchpoint("facebook", "paid", "spring", "shoes", "blue", IdentifierType.FBCLID,
                "abc", Platform.META, Channel.PAID_SOCIAL));
    }

    @Test
    void campaignSignal() {
        assertThat(ChannelGrouping.hasCampaignSignal(new ChannelGrouping.Visit(null, null, PAGE, null))).isFalse();
        assertThat(ChannelGrouping.hasCampaignSignal(new ChannelGrouping.Visit(null, "https://shop.example.com/x",
                PAGE, null))).isFalse();
        assertThat(ChannelGrouping.hasCampaignSignal(new ChannelGrouping.Visit(null, "https://news.example.org/",
                PAGE, null))).isTrue();
        assertThat(ChannelGrouping.hasCampaignSignal(new ChannelGrouping.Visit(null, null, PAGE,
                List.of(new Identifier(IdentifierType.EMAIL, "a@b.co"))))).isFalse();
    }

    @Test
    void aMediumWithoutASourceIsClassifiedNotAFailure() {
        Campaign c = new Campaign(null, "cpc", null, null, null, null, null, null, null, null, null);
        Touchpoint t = ChannelGrouping.classify(new ChannelGrouping.Visit(c, null, PAGE, List.of()));
        assertThat(t.channel()).isEqualTo(Channel.PAID_OTHER);
        assertThat(ChannelGrouping.channel(null, "newsletter", "spring")).isNotNull();
    }

    @Test
    void namesTheRulesVersion() {
        assertThat(ChannelGrouping.RULES_VERSION).contains("GA4");
    }
}
