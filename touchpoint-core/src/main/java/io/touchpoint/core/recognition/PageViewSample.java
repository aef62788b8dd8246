package io.touchpoint.core.recognition;

import java.time.Instant;

/**
 * One pixel page view as the recognition report reads it: when it happened, the browser's user agent, where the
 * script found its visitor token ({@code token_source}, null for scripts older than the field), and when the workspace
 * first saw that token (the earliest link of the token in the identity graph; null when it has none yet).
 */
public record PageViewSample(Instant at, String userAgent, String tokenSource, Instant tokenFirstSeen) {
}
