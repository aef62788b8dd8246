package io.touchpoint.server.admin;

import io.javalin.http.Context;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.Sessions;
import io.touchpoint.server.sso.SsoSignIn;

import java.util.Locale;
import java.util.Set;

/**
 * Single sign-on for the administrator: a verified e-mail listed in {@code sso.admin-emails} opens the same dashboard
 * session as signing in with the administrator token (the same cookie); any other e-mail is refused.
 */
public final class AdminEmailSignIn implements SsoSignIn {
    private final Set<String> emails;
    private final Authenticator auth;
    private final HttpsPolicy https;

    /** @param emails lower case */
    public AdminEmailSignIn(Set<String> emails, Authenticator auth, HttpsPolicy https) {
        this.emails = Set.copyOf(emails);
        this.auth = auth;
        this.https = https;
    }

    @Override
    public SignInResult signIn(Context ctx, String verifiedEmail) {
        if (!emails.contains(verifiedEmail.toLowerCase(Locale.ROOT))) {
            return SignInResult.refused("the provider signed you in as " + verifiedEmail + ", but that e-mail may not"
                    + " sign in to this Touchpoint server (setting sso.admin-emails)");
        }
        Sessions.Opened opened = auth.openSession();
        ctx.res().addHeader("Set-Cookie", SessionRoutes.cookie(ctx, https, opened.id(), Sessions.LIFETIME.toSeconds()));
        return SignInResult.opened();
    }
}
