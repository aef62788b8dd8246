package io.touchpoint.server.sso;

import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import io.touchpoint.server.http.ApiException;

import java.util.Locale;

/**
 * The e-mail an ID token vouches for. A provider that lets people type any address into their profile would otherwise
 * let them sign in as someone else, so the address counts only with {@code email_verified: true}; providers that
 * never send the claim (Microsoft Entra ID) are accepted with {@code sso.require-email-verified=false}, and an
 * explicit {@code false} is refused whatever the setting.
 */
final class VerifiedEmail {
    private VerifiedEmail() {
    }

    /** The e-mail in lower case; 403 {@code sso_email_unverified} when there is none the provider vouches for. */
    static String of(IDTokenClaimsSet claims, boolean requireVerified) {
        Object email = claims.getClaim("email");
        if (!(email instanceof String e) || e.isBlank() || e.length() > 254) {
            throw refused("the provider's ID token carries no e-mail address; let the client ask for the 'email' scope");
        }
        Object verified = claims.getClaim("email_verified");
        // some providers send the flag as the string "true"
        boolean yes = Boolean.TRUE.equals(verified) || "true".equals(verified);
        boolean no = Boolean.FALSE.equals(verified) || "false".equals(verified);
        if (no || (!yes && requireVerified)) {
            throw refused("the provider has not verified the e-mail address " + e.strip() + "; verify it there first");
        }
        return e.strip().toLowerCase(Locale.ROOT);
    }

    private static ApiException refused(String message) {
        return ApiException.permission("sso_email_unverified", message);
    }
}
