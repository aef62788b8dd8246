package io.touchpoint.server.http;

import io.touchpoint.core.admin.NotFoundException;

import java.util.function.Supplier;

/** Lookups by a name or id the caller gave: one that names nothing is answered 404 {@code not_found}. */
public final class Lookups {
    private Lookups() {
    }

    public static <T> T found(Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (NotFoundException e) {
            throw ApiException.notFound(e.getMessage());
        }
    }
}
