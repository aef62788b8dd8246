package io.touchpoint.server.sso;

import io.javalin.http.Context;

/**
 * What a verified e-mail from the provider opens: the one place single sign-on meets the server's own accounts. It
 * opens a dashboard session on the answer (sets its cookie) or refuses; the flow around it is the same either way.
 */
@FunctionalInterface
public interface SsoSignIn {
    /**
     * @param ctx           the callback's request and answer: a session opened here sets its cookie on it
     * @param verifiedEmail the e-mail the provider vouches for, lower case
     */
    SignInResult signIn(Context ctx, String verifiedEmail);

    /** Signed in (the session cookie is set), or refused with a reason shown to the person. */
    record SignInResult(boolean signedIn, String refusal) {
        public static SignInResult opened() {
            return new SignInResult(true, null);
        }

        public static SignInResult refused(String reason) {
            return new SignInResult(false, reason);
        }
    }
}
