package io.touchpoint.server.admin;

import io.javalin.http.Context;
import io.touchpoint.core.audit.Actor;
import io.touchpoint.core.model.User;
import io.touchpoint.core.users.Users;
import io.touchpoint.server.http.Authenticator;
import io.touchpoint.server.http.HttpsPolicy;
import io.touchpoint.server.http.RequestAudit;
import io.touchpoint.server.http.Sessions;
import io.touchpoint.server.sso.SsoSignIn;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Single sign-on's last step: a verified e-mail of a Touchpoint user opens that user's dashboard session (their role
 * and workspaces, as a password sign-in would); one listed in {@code sso.admin-emails} and no user's opens the
 * administrator's session; any other is refused. Either way the audit log names who signed in.
 */
public final class EmailSignIn implements SsoSignIn {
    private final Set<String> adminEmails;
    private final Users users;
    private final Authenticator auth;
    private final HttpsPolicy https;

    /** @param adminEmails lower case */
    public EmailSignIn(Set<String> adminEmails, Users users, Authenticator auth, HttpsPolicy https) {
        this.adminEmails = Set.copyOf(adminEmails);
        this.users = users;
        this.auth = auth;
        this.https = https;
    }

    @Override
    public SignInResult signIn(Context ctx, String verifiedEmail) {
        // an invited user signs in once they have accepted the invitation (their account is active)
        Optional<User> user = users.byEmail(verifiedEmail).filter(User::active);
        Sessions.Opened opened;
        if (user.isPresent()) {
            RequestAudit.actor(ctx, Actor.user(user.get().id(), user.get().email()));
            opened = auth.openSession(user.get());
        } else if (adminEmails.contains(verifiedEmail.toLowerCase(Locale.ROOT))) {
            RequestAudit.actor(ctx, Actor.administrator("single sign-on as " + verifiedEmail));
            opened = auth.openAdministratorSession();
        } else {
            RequestAudit.actor(ctx, Actor.user("unknown", verifiedEmail)); // the audit log names a refused sign-in too
            return SignInResult.refused("the provider signed you in as " + verifiedEmail + ", but no Touchpoint user has"
                    + " that e-mail (or their invitation is not accepted yet): an owner invites people under Users");
        }
        ctx.res().addHeader("Set-Cookie", SessionRoutes.cookie(ctx, https, opened.id(), Sessions.LIFETIME.toSeconds()));
        return SignInResult.opened();
    }
}
