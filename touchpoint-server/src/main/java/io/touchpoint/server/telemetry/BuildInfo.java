package io.touchpoint.server.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and commit this program was built from, written into {@value #RESOURCE} by the build (the pom's
 * version; {@code git describe} of the checkout, {@code -dirty} when it had uncommitted changes, or {@code unknown}
 * when built from sources without git). Shown by {@code --version} and {@code touchpoint version}, in
 * {@code /healthz}, the served OpenAPI document, the {@code User-Agent} of calls to the ad platforms and the
 * {@code touchpoint_build_info} metric.
 */
public final class BuildInfo {
    static final String RESOURCE = "/io/touchpoint/server/build-info.properties";
    public static final String UNKNOWN = "unknown";
    private static final BuildInfo CURRENT = load();

    private final String version;
    private final String commit;

    BuildInfo(String version, String commit) {
        this.version = version;
        this.commit = commit;
    }

    /** What this program was built from. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** The release, e.g. {@code 0.2.0}; {@code unknown} only when the classes were not built by Maven (an IDE's). */
    public String version() {
        return version;
    }

    /** 12 hex digits of the commit, with {@code -dirty} for a build of uncommitted changes; or {@code unknown}. */
    public String commit() {
        return commit;
    }

    /** {@code 0.2.0 (commit 1a2b3c4d5e6f)}. */
    public String describe() {
        return version + " (commit " + commit + ")";
    }

    /** What outbound calls say they are: {@code Touchpoint/0.2.0}. */
    public String userAgent() {
        return "Touchpoint/" + version;
    }

    /** {@code touchpoint_build_info{version,commit} 1}, the Prometheus convention for joining a build to other series. */
    public void register(MeterRegistry metrics) {
        Gauge.builder("touchpoint.build.info", () -> 1)
                .description("The version and commit of the running program; always 1")
                .tag("version", version).tag("commit", commit)
                .register(metrics);
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // reported as unknown below
        }
        return new BuildInfo(clean(p.getProperty("version")), clean(p.getProperty("commit")));
    }

    /** A value the build did not fill in (a build that skipped filtering) is unknown, not "${...}". */
    static String clean(String v) {
        return v == null || v.isBlank() || v.contains("${") ? UNKNOWN : v.strip();
    }
}
