package io.touchpoint.server.pixel;

/**
 * The pixel's public paths under a site's own origin: the script at {@code prefix + scriptName} (the pixel key as
 * {@code ?key=}) and the beacons at {@code prefix + collectName} ({@code pixel.path-prefix}, {@code pixel.script-name},
 * {@code pixel.collect-name}).
 */
public record FirstParty(String prefix, String scriptName, String collectName) {
    public static final FirstParty DEFAULT = new FirstParty("/t/", "a.js", "e");

    public String script() {
        return prefix + scriptName;
    }

    public String collect() {
        return prefix + collectName;
    }

    /** The script's path for a workspace, as a site's pages name it. */
    public String scriptFor(String pixelKey) {
        return script() + "?key=" + pixelKey;
    }
}
