package io.touchpoint.server.sso;

import io.touchpoint.core.auth.SecretBox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * One sign-in in progress: what the callback must find again (state, nonce, PKCE verifier, the redirect URI the
 * provider was given, the dashboard page to return to). It travels in a cookie sealed with the server's secrets key
 * (AES-GCM: unreadable and unforgeable without it), so any process that shares the key can finish a flow another
 * began, and nothing is kept in memory meanwhile.
 */
record SsoFlow(String state, String nonce, String codeVerifier, String redirectUri, String next, Instant expiresAt) {
    static final String COOKIE = "tp_sso_flow";
    /** Long enough for a person to sign in at the provider, short enough that a stale cookie is worth nothing. */
    static final Duration LIFETIME = Duration.ofMinutes(10);

    /** Why a flow cookie cannot be used. */
    enum Problem { MISSING, INVALID, EXPIRED }

    /** A flow cookie that opened, or the problem with it. */
    record Opened(SsoFlow flow, Problem problem) {
    }

    /** The cookie's value: the sealed fields, base64url so that no character needs quoting in a header. */
    String seal(SecretBox box) {
        String sealed = box.seal(Map.of("state", state, "nonce", nonce, "verifier", codeVerifier,
                "redirect_uri", redirectUri, "next", next, "expires_at", expiresAt.toString()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed.getBytes(StandardCharsets.UTF_8));
    }

    static Opened open(SecretBox box, String cookie, Instant now) {
        if (cookie == null || cookie.isEmpty()) return new Opened(null, Problem.MISSING);
        Map<String, String> f;
        try {
            if (cookie.length() > 4096) throw new IllegalArgumentException("too long");
            f = box.open(new String(Base64.getUrlDecoder().decode(cookie), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException altered) {
            return new Opened(null, Problem.INVALID);
        }
        SsoFlow flow = new SsoFlow(f.get("state"), f.get("nonce"), f.get("verifier"), f.get("redirect_uri"), f.get("next"),
                Optional.ofNullable(f.get("expires_at")).map(Instant::parse).orElse(Instant.EPOCH));
        return new Opened(flow, now.isBefore(flow.expiresAt()) ? null : Problem.EXPIRED);
    }
}
