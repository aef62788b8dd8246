package io.touchpoint.core.recognition;

import io.touchpoint.core.ingest.PixelMapper;
import io.touchpoint.core.normalize.BrowserFamily;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a workspace's visitors are recognised, from a sample of its pixel page views: the share from returning
 * tokens (the workspace saw the token at least {@link #RETURNING_AFTER} before the page view, i.e. on an earlier
 * visit), and the share whose token the script took from the cookie the server set, overall and per browser family.
 * A set-up that works shows returning visitors in every family; one where script-written cookies expire (Safari and
 * every iOS browser after 7 days) shows few returning tokens there, and few from the server cookie.
 */
public final class Recognition {
    /** A visit's usual timeout: a token first seen less than this before a page view belongs to the same visit. */
    public static final Duration RETURNING_AFTER = Duration.ofMinutes(30);
    /** Token sources in report order; "unknown" counts page views from scripts that did not say. */
    public static final List<String> SOURCES = List.of("server_cookie", "script_cookie", "local_storage", "link", "new",
            "unknown");

    private Recognition() {
    }

    /** Counts of one group of page views. */
    public static final class Counts {
        long pageViews;
        long returning;
        long serverCookie;
        final Map<String, Long> sources = new LinkedHashMap<>();

        Counts() {
            for (String s : SOURCES) sources.put(s, 0L);
        }

        void add(PageViewSample p) {
            pageViews++;
            if (p.tokenFirstSeen() != null && !p.tokenFirstSeen().isAfter(p.at().minus(RETURNING_AFTER))) returning++;
            String source = p.tokenSource() != null && PixelMapper.TOKEN_SOURCES.containsValue(p.tokenSource())
                    ? p.tokenSource() : "unknown";
            if (source.equals("server_cookie")) serverCookie++;
            sources.merge(source, 1L, Long::sum);
        }

        public long pageViews() {
            return pageViews;
        }

        public long returning() {
            return returning;
        }

        public long serverCookie() {
            return serverCookie;
        }

        /** Page views by token source, in {@link #SOURCES} order. */
        public Map<String, Long> sources() {
            return Map.copyOf(sources);
        }

        /** {@code part} of the page views, 0 to 1 rounded to 4 places; null without page views. */
        public Double share(long part) {
            return pageViews == 0 ? null : Math.round(part * 10_000.0 / pageViews) / 10_000.0;
        }

        /** The JSON shape of the API. */
        public Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("page_views", pageViews);
            m.put("returning", returning);
            m.put("returning_share", share(returning));
            m.put("server_cookie", serverCookie);
            m.put("server_cookie_share", share(serverCookie));
            Map<String, Long> bySource = new LinkedHashMap<>();
            for (String s : SOURCES) bySource.put(s, sources.get(s));
            m.put("token_sources", bySource);
            return m;
        }
    }

    /** The report over a sample: totals and one entry per browser family seen, the most page views first. */
    public record Report(Counts total, Map<BrowserFamily, Counts> families) {
        public List<Map.Entry<BrowserFamily, Counts>> byPageViews() {
            List<Map.Entry<BrowserFamily, Counts>> out = new ArrayList<>(families.entrySet());
            out.sort(Comparator.comparingLong((Map.Entry<BrowserFamily, Counts> e) -> -e.getValue().pageViews)
                    .thenComparing(e -> e.getKey().ordinal()));
            return out;
        }
    }

    public static Report of(List<PageViewSample> sample) {
        Counts total = new Counts();
        Map<BrowserFamily, Counts> families = new EnumMap<>(BrowserFamily.class);
        for (PageViewSample p : sample) {
            total.add(p);
            families.computeIfAbsent(BrowserFamily.of(p.userAgent()), f -> new Counts()).add(p);
        }
        return new Report(total, families);
    }
}
