package io.touchpoint.server.sso;

import java.net.URI;
import java.util.Set;

/**
 * Single sign-on through an OpenID Connect provider, from the {@code sso.*} settings; off when no issuer is set.
 *
 * @param issuer               the provider's issuer URL: its {@code /.well-known/openid-configuration} is read from it
 * @param clientId             this server's client id at the provider
 * @param clientSecret         its client secret, or null for a public client (PKCE alone)
 * @param redirectUri          the callback address registered at the provider, or null to derive it from each request
 * @param buttonLabel          the provider's name on the sign-in page's button
 * @param adminEmails          verified e-mails that open the administrator's dashboard session, lower case
 * @param requireEmailVerified whether an e-mail counts only with {@code email_verified: true}; when false, one
 *                             without the claim counts too (an explicit {@code false} never does)
 */
public record SsoSettings(URI issuer, String clientId, String clientSecret, URI redirectUri, String buttonLabel,
                          Set<String> adminEmails, boolean requireEmailVerified) {
    public static final SsoSettings OFF = new SsoSettings(null, null, null, null, null, Set.of(), true);

    public SsoSettings {
        adminEmails = Set.copyOf(adminEmails);
    }

    public boolean enabled() {
        return issuer != null;
    }

    /** Never the client secret: a configuration may end up in a log. */
    @Override
    public String toString() {
        return "SsoSettings[issuer=" + issuer + ", client=" + clientId + ", secret=" + (clientSecret == null ? "none" : "set")
                + ", redirect=" + redirectUri + "]";
    }
}
