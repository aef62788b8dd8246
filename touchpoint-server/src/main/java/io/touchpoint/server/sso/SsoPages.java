package io.touchpoint.server.sso;

import io.touchpoint.server.http.ApiException;

/** The two pages the callback can answer a browser with: signed in, on to the dashboard; or refused, and why. */
final class SsoPages {
    /** Scripts, styles and everything else are off: neither page needs them. */
    static final String CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private SsoPages() {
    }

    /**
     * Signed in: the browser moves on by itself, from this page. A redirect would not do: the way here began at the
     * provider, another site, and a browser sends no SameSite=Strict cookie (the session's) on any request of a
     * navigation another site started, redirects included; a refresh from this page is a navigation of our own.
     *
     * @param next a dashboard page, already checked to be one
     */
    static String signedIn(String next) {
        String to = escape(next);
        return """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=%s">
                <title>Signed in · Touchpoint</title></head>
                <body>
                <p>Signed in. <a id="sso-continue" href="%s">Continue to the dashboard</a></p>
                </body>
                </html>
                """.formatted(to, to);
    }

    static String refusal(ApiException e, String requestId) {
        return """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Sign-in refused · Touchpoint</title></head>
                <body>
                <h1>Single sign-on did not sign you in</h1>
                <p id="sso-error">%s</p>
                <p>Error <code>%s</code>, request <code>%s</code>.</p>
                <p><a href="/sign-in">Back to sign-in</a></p>
                </body>
                </html>
                """.formatted(escape(e.getMessage()), escape(e.code()), escape(requestId));
    }

    static String escape(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
