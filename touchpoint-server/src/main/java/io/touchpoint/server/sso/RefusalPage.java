package io.touchpoint.server.sso;

import io.touchpoint.server.http.ApiException;

/** The page a browser sees when single sign-on refuses: what happened, its code and request id, and a way back. */
final class RefusalPage {
    private RefusalPage() {
    }

    static String html(ApiException e, String requestId) {
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
