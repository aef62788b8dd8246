package io.touchpoint.core.attribution;

import io.touchpoint.core.touchpoint.Platform;
import io.touchpoint.core.touchpoint.Touchpoint;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The touchpoint field a report groups credit by; with data-driven models, the Markov states and Shapley players.
 * {@link #AD_SET} and {@link #AD} group by the platform's ad set and ad ids; reports name them from the synced ad
 * structure.
 */
public enum GroupBy {
    CHANNEL, SOURCE, MEDIUM, CAMPAIGN, CONTENT, TERM, PLATFORM, AD_SET, AD;

    /** The groupings the stored rollup keeps, in its column order; the others are answered by the report engine. */
    public static final List<GroupBy> STORED = List.of(CHANNEL, SOURCE, MEDIUM, CAMPAIGN, CONTENT, TERM, PLATFORM);

    /** The group of a touchpoint that leaves this field empty. */
    public static final String NOT_SET = "(not set)";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The column of attribution_touch_shapes that holds the group value. */
    public String column() {
        return this == AD_SET ? "ad_set_id" : this == AD ? "ad_id" : wireName();
    }

    public static Optional<GroupBy> fromWireName(String s) {
        for (GroupBy g : values()) if (g.wireName().equals(s)) return Optional.of(g);
        return Optional.empty();
    }

    /** The touchpoint's group: the channel's GA4 name, the platform's wire name, or the field's value. */
    public String of(Touchpoint t) {
        String v = switch (this) {
            case CHANNEL -> t.channel().label();
            case SOURCE -> t.source();
            case MEDIUM -> t.medium();
            case CAMPAIGN -> t.campaign();
            case CONTENT -> t.content();
            case TERM -> t.term();
            case PLATFORM -> t.platform() == Platform.NONE ? null : t.platform().wireName();
            case AD_SET -> t.adSetId();
            case AD -> t.adId();
        };
        return v == null || v.isBlank() ? NOT_SET : v;
    }
}
