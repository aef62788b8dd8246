package io.touchpoint.core.touchpoint;

import io.touchpoint.core.model.Campaign;
import io.touchpoint.core.model.Identifier;
import io.touchpoint.core.model.IdentifierType;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The default channel grouping (docs/ATTRIBUTION.md), modelled on Google Analytics 4's "default channel group"
 * ({@value #RULES_VERSION}): the rules below are GA4's, applied in GA4's order, first match wins.
 * GA4 matches sources against its published category lists (search, social, video, shopping sites); the
 * lists here are the common entries of those lists, not all of them.
 *
 * <p>Before the rules run, the visit's effective source and medium are settled as GA4 does for auto-tagged
 * traffic: UTM fields win; else a click id implies its platform's source and a paid medium ({@code gclid}
 * → google / cpc); else the referrer's host is the source, with medium organic (search engines), social
 * (social sites) or referral; a visit with none of these is Direct.
 */
public final class ChannelGrouping {
    /** The version of GA4's rules this follows. */
    public static final String RULES_VERSION =
            "GA4 default channel group, Analytics Help article 9756891, as published in 2024";

    /** Click ids in the order they are consulted when a visit carries several. */
    public static final List<IdentifierType> CLICK_IDS = List.of(IdentifierType.GCLID, IdentifierType.GBRAID,
            IdentifierType.WBRAID, IdentifierType.FBCLID, IdentifierType.MSCLKID, IdentifierType.TTCLID,
            IdentifierType.LI_FAT_ID, IdentifierType.TWCLID, IdentifierType.FBC);

    private static final Pattern PAID_MEDIUM = Pattern.compile("^(.*cp.*|ppc|retargeting|paid.*)$");
    private static final Pattern SHOP_CAMPAIGN = Pattern.compile("^(.*(([^a-df-z]|^)shop|shopping).*)$");
    private static final Pattern VIDEO_MEDIUM = Pattern.compile("^(.*video.*)$");
    private static final Set<String> DISPLAY_MEDIUMS = Set.of("display", "banner", "expandable", "interstitial", "cpm");
    private static final Set<String> SOCIAL_MEDIUMS = Set.of("social", "social-network", "social-media", "sm",
            "social network", "social media");
    private static final Set<String> REFERRAL_MEDIUMS = Set.of("referral", "app", "link");
    private static final Set<String> EMAIL_VALUES = Set.of("email", "e-mail", "e_mail", "e mail");

    private static final Set<String> SEARCH_SITES = Set.of("google", "bing", "yahoo", "baidu", "duckduckgo",
            "yandex", "ecosia", "naver", "seznam", "ask", "aol", "qwant", "startpage", "brave", "msn", "so.com",
            "sogou", "daum", "search-results", "googleads", "adwords");
    private static final Set<String> SOCIAL_SITES = Set.of("facebook", "fb", "instagram", "ig", "meta", "messenger",
            "threads", "linkedin", "lnkd", "twitter", "x", "t.co", "tiktok", "pinterest", "reddit", "snapchat",
            "tumblr", "quora", "vk", "weibo", "wechat", "whatsapp", "discord", "mastodon", "telegram", "line",
            "nextdoor", "medium");
    private static final Set<String> VIDEO_SITES = Set.of("youtube", "vimeo", "twitch", "dailymotion", "wistia",
            "youku", "bilibili");
    private static final Set<String> SHOPPING_SITES = Set.of("amazon", "ebay", "etsy", "shopify", "walmart",
            "aliexpress", "alibaba", "igshopping", "google shopping", "shopping", "mercadolibre", "rakuten", "target");

    private ChannelGrouping() {
    }

    /** What a visit says about where it came from. Any field may be null; {@code clickIds} may be empty. */
    public record Visit(Campaign campaign, String referrer, String pageUrl, List<Identifier> clickIds) {
        public Visit {
            campaign = campaign == null ? Campaign.NONE : campaign;
            clickIds = clickIds == null ? List.of() : List.copyOf(clickIds);
        }
    }

    /** The touchpoint of one visit. */
    public static Touchpoint classify(Visit v) {
        Campaign c = v.campaign();
        Identifier click = firstClickId(v.clickIds());
        Platform clickPlatform = click == null ? Platform.NONE : Platform.ofClickId(click.type());
        String source = lower(c.source());
        String medium = lower(c.medium());
        String referrerHost = externalHost(v.referrer(), v.pageUrl());
        if (source == null && medium == null) {
            if (clickPlatform != Platform.NONE) {
                source = clickPlatform.impliedSource();
                medium = "cpc";
            } else if (referrerHost != null) {
                source = referrerHost;
                String site = siteName(referrerHost);
                medium = SEARCH_SITES.contains(site) ? "organic" : SOCIAL_SITES.contains(site) ? "social" : "referral";
            }
        } else if (source == null && referrerHost != null) {
            source = referrerHost;
        }
        Platform platform = clickPlatform != Platform.NONE ? clickPlatform : Platform.ofSource(source);
        Channel channel = channel(source, medium, lower(c.name()));
        // a click id means the visit came from an ad even when the UTM medium was left out or unusual
        if (click != null && !channel.paid() && channel != Channel.EMAIL && channel != Channel.AFFILIATES) {
            channel = paidChannel(clickPlatform);
        }
        return new Touchpoint(source, medium, c.name(), c.term(), c.content(), click == null ? null : click.type(),
                click == null ? null : click.value(), platform, channel);
    }

    /** Whether the visit carries any campaign signal: UTM fields, a click id, or a referrer from another site. */
    public static boolean hasCampaignSignal(Visit v) {
        return !v.campaign().isEmpty() || firstClickId(v.clickIds()) != null
                || externalHost(v.referrer(), v.pageUrl()) != null;
    }

    /** GA4's rules, in order, on an effective source, medium and campaign name (all lower case, or null). */
    static Channel channel(String source, String medium, String campaign) {
        // a medium without a source names no site; the site lists are immutable sets, which refuse to look up null
        String site = source == null ? "" : siteName(source);
        if (source == null && medium == null || "(direct)".equals(source) && (medium == null
                || "(none)".equals(medium) || "(not set)".equals(medium))) {
            return Channel.DIRECT;
        }
        boolean paid = medium != null && PAID_MEDIUM.matcher(medium).matches();
        boolean shopCampaign = campaign != null && SHOP_CAMPAIGN.matcher(campaign).matches();
        if (campaign != null && campaign.contains("cross-network")) return Channel.CROSS_NETWORK;
        if ((SHOPPING_SITES.contains(site) || shopCampaign) && paid) return Channel.PAID_SHOPPING;
        if (SEARCH_SITES.contains(site) && paid) return Channel.PAID_SEARCH;
        if (SOCIAL_SITES.contains(site) && paid) return Channel.PAID_SOCIAL;
        if (VIDEO_SITES.contains(site) && paid) return Channel.PAID_VIDEO;
        if (medium != null && DISPLAY_MEDIUMS.contains(medium)) return Channel.DISPLAY;
        if (paid) return Channel.PAID_OTHER;
        if (SHOPPING_SITES.contains(site) || shopCampaign) return Channel.ORGANIC_SHOPPING;
        if (SOCIAL_SITES.contains(site) || medium != null && SOCIAL_MEDIUMS.contains(medium)) return Channel.ORGANIC_SOCIAL;
        if (VIDEO_SITES.contains(site) || medium != null && VIDEO_MEDIUM.matcher(medium).matches()) {
            return Channel.ORGANIC_VIDEO;
        }
        if (SEARCH_SITES.contains(site) || "organic".equals(medium)) return Channel.ORGANIC_SEARCH;
        if (medium != null && REFERRAL_MEDIUMS.contains(medium)) return Channel.REFERRAL;
        if (source != null && EMAIL_VALUES.contains(source) || medium != null && EMAIL_VALUES.contains(medium)) return Channel.EMAIL;
        if ("affiliate".equals(medium)) return Channel.AFFILIATES;
        if ("audio".equals(medium)) return Channel.AUDIO;
        if ("sms".equals(source) || "sms".equals(medium)) return Channel.SMS;
        if (medium != null && (medium.endsWith("push") || medium.contains("mobile") || medium.contains("notification"))
                || "firebase".equals(source)) {
            return Channel.MOBILE_PUSH_NOTIFICATIONS;
        }
        return Channel.UNASSIGNED;
    }

    private static Channel paidChannel(Platform p) {
        return switch (p) {
            case GOOGLE, MICROSOFT -> Channel.PAID_SEARCH;
            case META, TIKTOK, LINKEDIN, X -> Channel.PAID_SOCIAL;
            case NONE -> Channel.PAID_OTHER;
        };
    }

    private static Identifier firstClickId(List<Identifier> ids) {
        for (IdentifierType t : CLICK_IDS) {
            for (Identifier i : ids) {
                if (i.type() == t) return i;
            }
        }
        return null;
    }

    /**
     * A source's site name for the category lists: "www.google.co.uk" → "google", "l.facebook.com" →
     * "facebook", "Facebook" → "facebook", "t.co" → "t.co".
     */
    static String siteName(String source) {
        if (source == null) return null;
        String s = source.toLowerCase(Locale.ROOT);
        if (s.equals("t.co") || s.equals("so.com") || !s.contains(".")) return s;
        String[] parts = s.split("\\.");
        // the label before the public suffix: skip a second-level suffix such as co.uk or com.au
        int i = parts.length - 2;
        if (i > 0 && parts[parts.length - 1].length() == 2 && Set.of("co", "com", "org", "net", "ac", "gov", "ne", "or")
                .contains(parts[i])) {
            i--;
        }
        return i >= 0 ? parts[i] : s;
    }

    /** The referrer's host when it is another site than the page's own, else null. */
    private static String externalHost(String referrer, String pageUrl) {
        String ref = host(referrer);
        if (ref == null) return null;
        String page = host(pageUrl);
        return ref.equals(page) ? null : ref;
    }

    private static String host(String url) {
        if (url == null || url.isBlank()) return null;
        try {
            String h = URI.create(url.strip()).getHost();
            if (h == null) return null;
            h = h.toLowerCase(Locale.ROOT);
            return h.startsWith("www.") ? h.substring(4) : h;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.strip().toLowerCase(Locale.ROOT);
    }
}
