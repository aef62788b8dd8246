package io.touchpoint.server.http;

import io.javalin.http.Context;
import io.touchpoint.core.ingest.StorableText;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Refuses a request whose path or query holds U+0000 or an unpaired surrogate: such a value reaches the store as a
 * search key, which PostgreSQL refuses with an error (a 500) where SQLite finds nothing, so both answer 400 alike.
 */
public final class StorableRequest {
    private StorableRequest() {
    }

    public static void check(Context ctx) {
        String uri = ctx.req().getRequestURI();
        // every request passes here: the common case (no escapes, no query) costs one scan of the path
        if (uri != null && uri.indexOf('%') >= 0 && uri.toLowerCase(Locale.ROOT).contains("%00")) {
            throw ApiException.invalidParameter(null, "the path holds U+0000, which no identifier can contain");
        }
        if (ctx.queryString() == null) return;
        for (Map.Entry<String, List<String>> p : ctx.queryParamMap().entrySet()) {
            if (!StorableText.storable(p.getKey())) throw ApiException.invalidParameter(null, "a query parameter's name holds U+0000");
            for (String v : p.getValue()) {
                if (!StorableText.storable(v)) {
                    throw ApiException.invalidParameter(p.getKey(), p.getKey() + " holds " + StorableText.describeFirst(v)
                            + ", a character no stored value can contain");
                }
            }
        }
    }

}
