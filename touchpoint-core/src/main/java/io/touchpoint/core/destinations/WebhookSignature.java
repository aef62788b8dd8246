package io.touchpoint.core.destinations;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Signs webhook deliveries so that receivers can check they come from Touchpoint and are not replayed:
 * {@value #HEADER}: {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}. The timestamp is inside
 * the signed text, so an old delivery cannot be passed off as new; receivers reject timestamps outside a
 * tolerance. Several v1 entries may appear (one per secret while a secret is being rotated); one must match.
 */
public final class WebhookSignature {
    public static final String HEADER = "Touchpoint-Signature";
    private static final String SCHEME = "v1";

    private WebhookSignature() {
    }

    public static String header(String secret, long unixSeconds, String body) {
        if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("a webhook secret is required");
        return "t=" + unixSeconds + "," + SCHEME + "=" + hmac(secret, unixSeconds + "." + body);
    }

    /**
     * Whether {@code header} signs {@code body} with {@code secret} and its timestamp is within
     * {@code toleranceSeconds} of {@code nowSeconds} (either way, for clocks that differ). A malformed header is
     * simply not valid.
     */
    public static boolean verify(String secret, String header, String body, long nowSeconds, long toleranceSeconds) {
        if (secret == null || secret.isEmpty() || header == null || body == null) return false;
        Long timestamp = null;
        for (String part : header.split(",")) {
            String p = part.strip();
            if (p.startsWith("t=")) {
                try {
                    timestamp = Long.parseLong(p.substring(2));
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        if (timestamp == null || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
        byte[] expected = hmac(secret, timestamp + "." + body).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String part : header.split(",")) {
            String p = part.strip();
            if (!p.startsWith(SCHEME + "=")) continue;
            // constant time, and every candidate checked, so timing reveals nothing about the expected value
            byte[] given = p.substring(SCHEME.length() + 1).getBytes(StandardCharsets.US_ASCII);
            matched |= MessageDigest.isEqual(expected, given);
        }
        return matched;
    }

    private static String hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
