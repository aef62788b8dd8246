package io.touchpoint.server.pixel;

import io.javalin.http.Context;
import io.touchpoint.core.consent.ConsentSettings;

/**
 * Where a visitor is, from the headers a CDN or proxy in front of Touchpoint adds ({@code consent.country-header},
 * such as Cloudflare's {@code CF-IPCountry} or CloudFront's {@code CloudFront-Viewer-Country}, and optionally
 * {@code consent.subdivision-header}, such as {@code CloudFront-Viewer-Country-Region}): {@code DE}, {@code US-CA}, or
 * null when not configured or not known (Cloudflare's {@code XX} and {@code T1} are no country). The headers are
 * believed as sent, so they are configured only where the proxy in front always sets them.
 */
public record VisitorRegion(String countryHeader, String subdivisionHeader) {
    public static final VisitorRegion NONE = new VisitorRegion(null, null);

    /** The request's region, or null. */
    public String of(Context ctx) {
        if (countryHeader == null) return null;
        String country = ConsentSettings.region(ctx.header(countryHeader)).filter(c -> c.length() == 2)
                .filter(c -> !c.equals("XX") && !c.equals("T1")).orElse(null);
        if (country == null) return null;
        String sub = subdivisionHeader == null ? null : ctx.header(subdivisionHeader);
        return sub == null ? country : ConsentSettings.region(country + "-" + sub.strip()).orElse(country);
    }
}
