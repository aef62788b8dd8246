package io.touchpoint.server.attribution;

import io.javalin.http.Context;
import io.touchpoint.core.model.EventNames;
import io.touchpoint.server.http.ApiException;

import java.util.ArrayList;
import java.util.List;

/** Query parameters the attribution report and its drill-down read alike. */
final class ReportParams {
    private ReportParams() {
    }

    /** {@code ?event_name=A,B}: the conversion event names asked for, or null for every conversion. */
    static List<String> eventNames(Context ctx) {
        String e = ctx.queryParam("event_name");
        if (e == null || e.isBlank()) return null;
        List<String> events = new ArrayList<>();
        for (String name : e.split(",")) {
            if (!EventNames.isCanonical(name.strip())) throw ApiException.invalidParameter("event_name", "'" + name.strip() + "' is not an event name");
            events.add(name.strip());
        }
        return events;
    }
}
