package io.touchpoint.core.traffic;

import java.net.URI;

/** The landing page a visit is counted under: its URL's path, without scheme, host, query string or fragment. */
public final class LandingPath {
    /** The longest path kept: reports group by it, and a URL can be of any length. */
    public static final int MAX_LENGTH = 300;
    /** The path of a page view without a readable URL. */
    public static final String UNKNOWN = "(unknown)";

    private LandingPath() {
    }

    public static String of(String pageUrl) {
        if (pageUrl == null || pageUrl.isBlank()) return UNKNOWN;
        String path;
        try {
            URI uri = URI.create(pageUrl.strip());
            path = uri.getRawPath();
            if (uri.isOpaque() || path == null) return UNKNOWN;
        } catch (IllegalArgumentException e) {
            int cut = firstOf(pageUrl.strip(), '?', '#');
            String rest = pageUrl.strip().substring(0, cut);
            int scheme = rest.indexOf("://");
            if (scheme >= 0) {
                int slash = rest.indexOf('/', scheme + 3);
                rest = slash < 0 ? "" : rest.substring(slash);
            }
            path = rest;
        }
        if (path.isEmpty()) path = "/";
        return path.length() > MAX_LENGTH ? path.substring(0, MAX_LENGTH) : path;
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) return j < 0 ? s.length() : j;
        return j < 0 ? i : Math.min(i, j);
    }
}
