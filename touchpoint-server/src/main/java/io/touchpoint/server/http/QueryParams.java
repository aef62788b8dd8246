package io.touchpoint.server.http;

import io.javalin.http.Context;
import io.touchpoint.core.ingest.EventTimes;
import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.model.EventNames;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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

    /** {@code ?name=} as unix seconds, milliseconds or an ISO-8601 time; null when absent or blank. */
    public static Instant instant(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        return EventTimes.parse(v).orElseThrow(() ->
                ApiException.invalidParameter(name, name + " must be unix seconds, milliseconds or an ISO-8601 time"));
    }

    /** {@code ?event_name=} as a comma-separated list of canonical event names; null (every event) when absent or blank. */
    public static List<String> eventNames(Context ctx) {
        return eventNames(ctx.queryParam("event_name"));
    }

    /** {@code event_name}'s value (comma-separated names) as a list; null when absent or blank. */
    public static List<String> eventNames(String v) {
        if (v == null || v.isBlank()) return null;
        List<String> names = new ArrayList<>();
        for (String name : v.split(",")) {
            if (!EventNames.isCanonical(name.strip())) {
                throw ApiException.invalidParameter("event_name", "'" + name.strip() + "' is not an event name");
            }
            names.add(name.strip());
        }
        return names;
    }

    /** {@code ?limit=} from 1 to {@code max}; {@code fallback} when absent or blank. */
    public static int limit(Context ctx, int fallback, int max) {
        String v = ctx.queryParam("limit");
        if (v == null || v.isBlank()) return fallback;
        try {
            int i = Integer.parseInt(v);
            if (i >= 1 && i <= max) return i;
        } catch (NumberFormatException e) {
            // the error below
        }
        throw ApiException.invalidParameter("limit", "limit must be 1 to " + max);
    }

    /**
     * A filter a search does not know would otherwise be ignored and everything answered as if it matched: each
     * unknown parameter is named instead (400 invalid_parameter, one {@code error.details} entry each), in a message
     * that ends with {@code takes}, what the search does take.
     */
    public static void known(Context ctx, List<String> known, String takes) {
        List<String> unknown = ctx.queryParamMap().keySet().stream().filter(k -> !known.contains(k)).sorted().toList();
        if (unknown.isEmpty()) return;
        String names = unknown.stream().map(k -> "'" + k + "'").collect(Collectors.joining(", "));
        String message = (unknown.size() == 1 ? "unknown query parameter " : "unknown query parameters ") + names
                + "; " + takes;
        List<FieldError> details = unknown.stream().map(k -> new FieldError(k, "invalid_parameter", "unknown query parameter '"
                + k + "'")).toList();
        throw ApiException.invalidParameters(message, details);
    }
}
