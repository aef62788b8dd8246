package io.touchpoint.server.pixel;

import io.touchpoint.core.auth.Secrets;
import io.touchpoint.core.consent.ConsentState;
import io.touchpoint.core.model.PixelSettings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * The pixel script as served to one workspace: the build's minified {@value #RESOURCE} with the workspace's
 * pixel key and domains, the path its beacons go to (on the script's own origin) and the consent its visitor has
 * until they choose written in, plain and gzipped, with its ETag.
 */
public final class PixelScript {
    /** Written by the build (closure-compiler-maven-plugin) from src/main/js/pixel.js. */
    static final String RESOURCE = "/io/touchpoint/server/pixel/pixel.min.js";
    static final String KEY_PLACEHOLDER = "__TP_KEY__";
    static final String DOMAINS_PLACEHOLDER = "__TP_DOMAINS__";
    static final String COLLECT_PLACEHOLDER = "__TP_COLLECT__";
    static final String CONSENT_PLACEHOLDER = "__TP_CONSENT__";
    private static final String TEMPLATE = load();

    public final byte[] plain;
    public final byte[] gzipped;
    public final String etag;

    private PixelScript(String text) {
        this.plain = text.getBytes(StandardCharsets.UTF_8);
        this.gzipped = gzip(plain);
        this.etag = "\"" + Secrets.sha256Hex(text).substring(0, 32) + "\"";
    }

    /**
     * The script for a workspace, sending to {@code collectPath}, for a visitor whose signals are {@code consent} until
     * they choose; pixel keys, domains and paths only hold characters that need no escaping.
     */
    public static PixelScript of(String pixelKey, PixelSettings settings, String collectPath, ConsentState consent) {
        return new PixelScript(TEMPLATE.replace(KEY_PLACEHOLDER, pixelKey)
                .replace(DOMAINS_PLACEHOLDER, String.join(",", settings.domains()))
                .replace(COLLECT_PLACEHOLDER, collectPath)
                .replace(CONSENT_PLACEHOLDER, consent.wireName()));
    }

    private static String load() {
        try (InputStream in = PixelScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing: the build minifies src/main/js/pixel.js");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!text.contains(KEY_PLACEHOLDER) || !text.contains(DOMAINS_PLACEHOLDER) || !text.contains(COLLECT_PLACEHOLDER)
                    || !text.contains(CONSENT_PLACEHOLDER)) {
                throw new IllegalStateException(RESOURCE + " lost its placeholders in minification");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
