package io.touchpoint.server.destinations.fakes;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Touchpoint's webhook signature, written as the self-contained verification a receiver can copy:
 * header {@code Touchpoint-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>}.
 * Several v1 entries may appear (one per active secret while a secret is rotated); one match suffices.
 * The timestamp bounds replays: a signature older (or newer) than the tolerance is refused.
 */
public final class WebhookSignature {
    public static final String HEADER = "Touchpoint-Signature";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    /** The verdict, each refusal named so a receiver can log why. */
    public enum Result { VALID, MISSING, MALFORMED, MISMATCH, STALE }

    private WebhookSignature() {
    }

    /** The header value for {@code rawBody} signed at {@code unixSeconds}. */
    public static String sign(String secret, long unixSeconds, String rawBody) {
        return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds + "." + rawBody);
    }

    /** Lower-case hex of HMAC-SHA256 over the UTF-8 bytes of {@code payload}. */
    public static String hmacHex(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * Checks {@code header} against the exact bytes received ({@code rawBody}, before any JSON parsing) at
     * {@code nowSeconds}. The comparison takes constant time so the signature cannot be guessed byte by byte.
     */
    public static Result verify(String header, String secret, String rawBody, long nowSeconds, Duration tolerance) {
        if (header == null || header.isBlank()) {
            return Result.MISSING;
        }
        Long timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return Result.MALFORMED;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if ("t".equals(key)) {
                if (!value.matches("\\d{1,12}")) {
                    return Result.MALFORMED;
                }
                timestamp = Long.parseLong(value);
            } else if ("v1".equals(key)) {
                signatures.add(value.toLowerCase(Locale.ROOT));
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            return Result.MALFORMED;
        }
        byte[] expected = hmacHex(secret, timestamp + "." + rawBody).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String signature : signatures) {
            matched |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
        }
        if (!matched) {
            return Result.MISMATCH;
        }
        return Math.abs(nowSeconds - timestamp) > tolerance.toSeconds() ? Result.STALE : Result.VALID;
    }
}
