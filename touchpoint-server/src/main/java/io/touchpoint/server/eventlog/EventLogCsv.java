package io.touchpoint.server.eventlog;

import io.javalin.http.Context;
import io.touchpoint.core.store.EventLogCursor;
import io.touchpoint.core.store.EventLogEntry;
import io.touchpoint.core.store.EventLogQuery;
import io.touchpoint.core.store.EventLogStore;
import io.touchpoint.core.store.Page;
import io.touchpoint.server.http.ApiException;
import io.touchpoint.server.http.CsvResponse;
import io.touchpoint.server.http.CsvWriter;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * The events log as CSV (docs/EXPORTS.md): every entry a search matches, newest first, one line each, read from the
 * store a page at a time so that a log of any size is streamed in the memory of one page. The columns are the
 * entry's own fields; {@code warnings} are joined with {@code "; "} and {@code payload} is the JSON as received.
 */
public final class EventLogCsv {
    public static final List<String> COLUMNS = List.of("received_at", "request_id", "item_index", "workspace_id",
            "endpoint", "source", "outcome", "http_status", "event_name", "email", "event_id", "error_code",
            "error_param", "error_message", "warnings", "payload");

    private EventLogCsv() {
    }

    static boolean asked(Context ctx) {
        String format = ctx.queryParam("format");
        if (format == null || format.isBlank() || format.equals("json")) return false;
        if (format.equals("csv")) return true;
        throw ApiException.invalidParameter("format", "format must be json or csv");
    }

    /** The answer to {@code ?format=csv}: the search's filters, every page; paging and tailing do not apply. */
    static void send(Context ctx, EventLogStore log, EventLogQuery filters) {
        for (String p : List.of("limit", "cursor", "since")) {
            if (ctx.queryParam(p) != null) {
                throw ApiException.invalidParameter(p, "a CSV export holds every matching entry: limit, cursor and since"
                        + " do not apply to format=csv");
            }
        }
        String name = "events-log-" + (filters.workspaceId() == null ? "all" : filters.workspaceId()) + "-"
                + LocalDate.now(ZoneOffset.UTC) + ".csv";
        CsvResponse.send(ctx, name, COLUMNS, csv -> write(log, filters, csv));
    }

    /** Every entry {@code filters} match (its cursor, tail and limit aside), walking the pages. */
    public static void write(EventLogStore log, EventLogQuery filters, CsvWriter csv) {
        EventLogCursor after = null;
        do {
            Page<EventLogEntry> page = log.search(new EventLogQuery(filters.workspaceId(), filters.outcome(),
                    filters.eventName(), filters.email(), filters.requestId(), filters.from(), filters.to(), after, null,
                    EventLogQuery.MAX_LIMIT, filters.identifier()));
            for (EventLogEntry e : page.items()) csv.row(line(e));
            after = page.nextCursor() == null ? null : EventLogCursor.parse(page.nextCursor()).orElseThrow();
        } while (after != null);
    }

    private static List<Object> line(EventLogEntry e) {
        return Arrays.asList(e.receivedAt().toString(), e.requestId(), e.itemIndex(), e.workspaceId(), e.endpoint(),
                e.source(), e.outcome().wireName(), e.httpStatus(), e.eventName(), e.email(), e.eventId(), e.errorCode(),
                e.errorParam(), e.errorMessage(), e.warnings().isEmpty() ? null : String.join("; ", e.warnings()),
                e.payload());
    }
}
