package io.touchpoint.server.http;

import io.javalin.http.Context;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Query parameters read the same way by every endpoint; a malformed one is a 400 naming it. */
public final class QueryParams {
    private QueryParams() {
    }

    /** {@code ?name=YYYY-MM-DD}; {@code fallback} when absent or blank. */
    public static LocalDate date(Context ctx, String name, LocalDate fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return LocalDate.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.invalidParameter(name, name + " must be a date as YYYY-MM-DD");
        }
    }
}
