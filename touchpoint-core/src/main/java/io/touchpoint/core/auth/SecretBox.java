package io.touchpoint.core.auth;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encrypts secrets at rest (platform tokens, webhook secrets) with AES-256-GCM. A sealed value names the key that
 * sealed it ({@code tps1:<key id>:<base64 of nonce and ciphertext>}), so a key can be rotated: the new key seals,
 * the previous ones still open what they sealed until it is sealed again.
 */
public final class SecretBox {
    private static final String PREFIX = "tps1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Key primary;
    private final Map<String, Key> keys = new LinkedHashMap<>();

    private record Key(String id, SecretKeySpec spec) {
    }

    /**
     * @param primaryKey   32 bytes: seals everything new
     * @param previousKeys 32 bytes each: still open what they sealed
     */
    public SecretBox(byte[] primaryKey, List<byte[]> previousKeys) {
        this.primary = key(primaryKey);
        keys.put(primary.id, primary);
        for (byte[] k : previousKeys) {
            Key key = key(k);
            keys.putIfAbsent(key.id, key);
        }
    }

    /** A new random 256-bit key. */
    public static byte[] newKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    /** The id of the key that seals: sealed values that name another were sealed before a rotation. */
    public String primaryKeyId() {
        return primary.id;
    }

    /** The id of the key that sealed {@code sealed}. */
    public static String keyIdOf(String sealed) {
        String[] parts = sealed.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(PREFIX)) throw new IllegalArgumentException("not a sealed value");
        return parts[1];
    }

    public String seal(Map<String, String> secrets) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, primary.spec, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(primary.id.getBytes(StandardCharsets.US_ASCII));
            byte[] ct = c.doFinal(encode(secrets).getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + ct.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(ct, 0, out, nonce.length, ct.length);
            return PREFIX + ":" + primary.id + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** Opens a sealed value; throws {@link IllegalArgumentException} when no key of this box sealed it or it was altered. */
    public Map<String, String> open(String sealed) {
        String id = keyIdOf(sealed);
        Key key = keys.get(id);
        if (key == null) throw new IllegalArgumentException("sealed with key " + id + ", which is not configured");
        byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length() + id.length() + 2));
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.spec, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(id.getBytes(StandardCharsets.US_ASCII));
            return decode(new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8));
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("sealed value does not open with key " + id + ": altered or a different key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** What the API shows of a secret: its last four characters, or nothing of one too short to spare them. */
    public static String hint(String secret) {
        if (secret == null || secret.isEmpty()) return null;
        if (secret.length() <= 12) return "…";
        return "…" + secret.substring(secret.length() - 4);
    }

    private static Key key(byte[] bytes) {
        if (bytes.length != 32) throw new IllegalArgumentException("a secrets key is 32 bytes (256 bits), not " + bytes.length);
        // the id is a hash of the key, so it says which key sealed a value without revealing it
        return new Key(Secrets.sha256Hex("touchpoint-key:" + HexFormat.of().formatHex(bytes)).substring(0, 8),
                new SecretKeySpec(bytes, "AES"));
    }

    private static String encode(Map<String, String> secrets) {
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(secrets).entrySet()) {
            pairs.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return String.join("&", pairs);
    }

    private static Map<String, String> decode(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text.isEmpty()) return out;
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
