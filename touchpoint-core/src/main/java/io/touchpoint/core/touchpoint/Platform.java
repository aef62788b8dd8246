package io.touchpoint.core.touchpoint;

import io.touchpoint.core.model.IdentifierType;

import java.util.Locale;

/** The ad platform a touchpoint came from, when a click id or the traffic source names one. */
public enum Platform {
    GOOGLE,
    META,
    MICROSOFT,
    TIKTOK,
    LINKEDIN,
    X,
    /** No known ad platform. */
    NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The platform a click id belongs to, or {@link #NONE} for identifiers that are not click ids. */
    public static Platform ofClickId(IdentifierType type) {
        return switch (type) {
            case GCLID, GBRAID, WBRAID -> GOOGLE;
            case FBCLID, FBC -> META;
            case MSCLKID -> MICROSOFT;
            case TTCLID -> TIKTOK;
            case LI_FAT_ID -> LINKEDIN;
            case TWCLID -> X;
            default -> NONE;
        };
    }

    /** The platform a traffic source (utm_source or a referrer's host) names, or {@link #NONE}. */
    public static Platform ofSource(String source) {
        if (source == null) return NONE;
        String s = source.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("www.")) s = s.substring(4);
        if (s.startsWith("m.") || s.startsWith("l.") || s.startsWith("lm.")) s = s.substring(s.indexOf('.') + 1);
        if (s.matches("(facebook|fb|instagram|ig|meta|messenger|threads)(\\.com|\\.net)?")) return META;
        if (s.matches("(google|googleads|youtube|adwords)(\\.[a-z.]+)?")) return GOOGLE;
        if (s.matches("(bing|microsoft|msn)(\\.com)?")) return MICROSOFT;
        if (s.matches("tiktok(\\.com)?")) return TIKTOK;
        if (s.matches("(linkedin|lnkd)(\\.com|\\.in)?")) return LINKEDIN;
        if (s.matches("(twitter|x|t\\.co)(\\.com)?")) return X;
        return NONE;
    }

    /** The utm_source/medium a click id implies when the landing URL names none (e.g. gclid: google / cpc). */
    String impliedSource() {
        return switch (this) {
            case GOOGLE -> "google";
            case META -> "facebook";
            case MICROSOFT -> "bing";
            case TIKTOK -> "tiktok";
            case LINKEDIN -> "linkedin";
            case X -> "twitter";
            case NONE -> null;
        };
    }
}
