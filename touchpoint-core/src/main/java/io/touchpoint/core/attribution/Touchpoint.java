package io.touchpoint.core.attribution;

import io.touchpoint.core.model.IdentifierType;

import java.util.Objects;

/**
 * One marketing touch (SPEC §7): where a visit came from, as the landing URL and referrer tell it, with the
 * channel of the default channel grouping and the ad platform. {@code source} and {@code medium} are the
 * effective values the grouping used (UTM fields, else implied by a click id, else derived from the referrer);
 * {@code clickIdType}/{@code clickId} are null when the visit carried none.
 */
public record Touchpoint(String source, String medium, String campaign, String term, String content,
                         IdentifierType clickIdType, String clickId, Platform platform, Channel channel) {
    public Touchpoint {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(channel, "channel");
    }
}
