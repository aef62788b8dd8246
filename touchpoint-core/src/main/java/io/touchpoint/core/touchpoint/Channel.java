package io.touchpoint.core.touchpoint;

/** The channels of Google Analytics 4's default channel group, in the order its rules are applied. */
public enum Channel {
    DIRECT("Direct"),
    CROSS_NETWORK("Cross-network"),
    PAID_SHOPPING("Paid Shopping"),
    PAID_SEARCH("Paid Search"),
    PAID_SOCIAL("Paid Social"),
    PAID_VIDEO("Paid Video"),
    DISPLAY("Display"),
    PAID_OTHER("Paid Other"),
    ORGANIC_SHOPPING("Organic Shopping"),
    ORGANIC_SOCIAL("Organic Social"),
    ORGANIC_VIDEO("Organic Video"),
    ORGANIC_SEARCH("Organic Search"),
    REFERRAL("Referral"),
    EMAIL("Email"),
    AFFILIATES("Affiliates"),
    AUDIO("Audio"),
    SMS("SMS"),
    MOBILE_PUSH_NOTIFICATIONS("Mobile Push Notifications"),
    UNASSIGNED("Unassigned");

    private final String label;

    Channel(String label) {
        this.label = label;
    }

    /** GA4's display name, e.g. "Paid Social". */
    public String label() {
        return label;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean paid() {
        return this == PAID_SHOPPING || this == PAID_SEARCH || this == PAID_SOCIAL || this == PAID_VIDEO
                || this == DISPLAY || this == PAID_OTHER || this == CROSS_NETWORK;
    }
}
