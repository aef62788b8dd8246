package io.touchpoint.core.attribution.models;

/** What a data-driven model credits one group with: a share of the conversions and of their value. */
public record GroupCredit(double conversions, double value) {
    public static final GroupCredit ZERO = new GroupCredit(0, 0);
}
