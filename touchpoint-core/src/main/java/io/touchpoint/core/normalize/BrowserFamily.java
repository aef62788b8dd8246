package io.touchpoint.core.normalize;

import java.util.Locale;

/**
 * The browser family of a user agent, as far as cookie rules go: every browser on iOS runs Safari's engine and its
 * cookie caps (Intelligent Tracking Prevention), so Chrome, Firefox and Edge on iOS are families of their own, and so
 * are the in-app browsers of social apps, where many ad clicks land.
 */
public enum BrowserFamily {
    IN_APP("In-app browser"),
    CHROME_IOS("Chrome on iOS"),
    FIREFOX_IOS("Firefox on iOS"),
    EDGE_IOS("Edge on iOS"),
    SAFARI("Safari"),
    EDGE("Edge"),
    OPERA("Opera"),
    SAMSUNG_INTERNET("Samsung Internet"),
    FIREFOX("Firefox"),
    CHROME("Chrome"),
    OTHER("Other");

    private final String label;

    BrowserFamily(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The family of a User-Agent header value; {@link #OTHER} for none or one not recognised. */
    public static BrowserFamily of(String userAgent) {
        if (userAgent == null) return OTHER;
        String ua = userAgent;
        if (ua.contains("FBAN/") || ua.contains("FBAV/") || ua.contains("Instagram") || ua.contains("musical_ly")
                || ua.contains("BytedanceWebview") || ua.contains("LinkedInApp") || ua.contains("Snapchat")
                || ua.contains("Pinterest/") || ua.contains("GSA/")) {
            return IN_APP;
        }
        if (ua.contains("EdgiOS/")) return EDGE_IOS;
        if (ua.contains("CriOS/")) return CHROME_IOS;
        if (ua.contains("FxiOS/")) return FIREFOX_IOS;
        if (ua.contains("Edg/") || ua.contains("EdgA/") || ua.contains("Edge/")) return EDGE;
        if (ua.contains("OPR/") || ua.contains("Opera")) return OPERA;
        if (ua.contains("SamsungBrowser/")) return SAMSUNG_INTERNET;
        if (ua.contains("Firefox/")) return FIREFOX;
        if (ua.contains("Chrome/") || ua.contains("Chromium/")) return CHROME; // HeadlessChrome/ too
        if (ua.contains("Safari/") && ua.contains("Version/")) return SAFARI;
        return OTHER;
    }
}
