package io.touchpoint.server.pixel;

import io.javalin.http.Context;
import io.touchpoint.core.consent.Consent;
import io.touchpoint.core.consent.ConsentState;
import io.touchpoint.core.model.PixelSettings;
import io.touchpoint.core.normalize.Domains;
import io.touchpoint.server.http.HttpsPolicy;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The visitor cookie {@value #NAME} that {@code /collect} sets with its answer: the beacon's visitor token, on the site's
 * registrable domain, for {@link #MAX_AGE} (the longest any browser keeps a cookie), {@code SameSite=Lax}, {@code Secure}
 * over HTTPS, and refreshed by every beacon. Safari caps cookies that scripts write at 7 days (24 hours after a link
 * with click ids) but not those a server sets from the site's own origin; the pixel adopts the token it finds here.
 * It is readable by the pixel (not HttpOnly): {@code cometToken()} stays synchronous.
 * <p>
 * It is never set for a bot, for a beacon whose visitor's consent denies {@code analytics_storage} (the pixel removes
 * it when the visitor withdraws consent), when a workspace's page could not read it (the beacon's page is on another
 * site than the host it reached: a third-party cookie the browser would drop or cap), or when
 * {@code pixel.server-cookie} is off. A beacon answered without it says why in {@value #SKIPPED_HEADER}.
 */
public final class VisitorCookie {
    public static final String NAME = "_tp_id";
    public static final Duration MAX_AGE = Duration.ofDays(400);
    public static final String SKIPPED_HEADER = "Touchpoint-Cookie-Skipped";
    /** What the pixel itself makes and accepts: letters, digits, '.', '_', '-' need no quoting in a cookie. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{8,128}");

    /** The {@code Set-Cookie} value, or why there is none. */
    public record Decision(String setCookie, String skipped) {
        static Decision skip(String why) {
            return new Decision(null, why);
        }

        /** Adds the decision to the answer. */
        public void apply(Context ctx) {
            if (setCookie != null) ctx.header("Set-Cookie", setCookie);
            else ctx.header(SKIPPED_HEADER, skipped);
        }
    }

    private final boolean enabled;
    private final HttpsPolicy https;

    public VisitorCookie(boolean enabled, HttpsPolicy https) {
        this.enabled = enabled;
        this.https = https;
        // the Public Suffix List takes about half a second to load: not on the first visitor's beacon
        if (enabled) Thread.ofVirtual().name("public-suffix-list").start(() -> Domains.registrable("example.com"));
    }

    /**
     * Whether to set the cookie for an accepted beacon carrying {@code token} with {@code consent}, and with which
     * attributes.
     */
    public Decision decide(Context ctx, String token, PixelSettings settings, Consent consent) {
        if (!enabled) return Decision.skip("disabled");
        if (PixelRoutes.isBot(ctx.userAgent())) return Decision.skip("bot");
        if (consent.analyticsStorage() == ConsentState.DENIED) return Decision.skip("consent");
        if (token == null || !TOKEN.matcher(token).matches()) return Decision.skip("token");
        String host = https.host(ctx);
        if (host == null) return Decision.skip("host");
        String domain = settings.cookieDomainFor(host);
        if (domain == null) domain = Domains.registrable(host).orElse(null); // null: a host-only cookie
        String page = pageHost(ctx);
        if (page != null && !(domain == null ? page.equals(host) : Domains.domainMatches(page, domain))) {
            return Decision.skip("cross-site");
        }
        StringBuilder c = new StringBuilder(NAME).append('=').append(token)
                .append("; Max-Age=").append(MAX_AGE.toSeconds());
        if (domain != null) c.append("; Domain=").append(domain);
        c.append("; Path=/; SameSite=Lax");
        if ("https".equals(https.scheme(ctx))) c.append("; Secure");
        return new Decision(c.toString(), null);
    }

    /**
     * The host of the page that sent the beacon: its {@code Origin} (which browsers send with every POST), else its
     * {@code Referer}; "" for an opaque origin ({@code null}), which can read no cookie; null when neither is sent.
     */
    private static String pageHost(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null) return Domains.hostOfUrl(origin).orElse("");
        String referer = ctx.header("Referer");
        return referer == null ? null : Domains.hostOfUrl(referer).orElse("");
    }
}
