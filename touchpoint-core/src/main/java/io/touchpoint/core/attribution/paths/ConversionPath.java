package io.touchpoint.core.attribution.paths;

import java.util.List;
import java.util.Objects;

/**
 * One conversion's path as the paths report reads it: the groups (channels, campaigns, …) of its touchpoints in the
 * lookback window in time order (empty: none, the Direct stand-in's conversion), when the first of them began and
 * when it converted (epoch milliseconds), and its value and currency ({@code value} null without a value).
 */
public record ConversionPath(List<String> groups, long firstTouchAt, long convertedAt, Double value, String currency) {
    public ConversionPath {
        groups = List.copyOf(Objects.requireNonNull(groups, "groups"));
        currency = currency == null ? "" : currency;
    }
}
