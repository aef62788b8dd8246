package io.touchpoint.core.audit;

import java.util.Objects;

/** What an audited action was done to: a kind ({@code token}, {@code destination}, {@code profile}…) and its id. */
public record Target(String kind, String id) {
    public Target {
        Objects.requireNonNull(kind, "kind");
    }
}
