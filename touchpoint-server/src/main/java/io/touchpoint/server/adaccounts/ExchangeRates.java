package io.touchpoint.server.adaccounts;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.core.adaccounts.SpendConversion;
import io.touchpoint.server.destinations.platforms.PlatformHttp;

import java.net.URI;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Daily exchange rates from a Frankfurter-compatible service ({@code currency.rates-url}, e.g. a self-hosted
 * Frankfurter serving the European Central Bank's reference rates): {@code GET {url}/{start}..{end}?base=USD&symbols=EUR}
 * answers {@code {"base": "USD", "rates": {"2026-03-02": {"EUR": 0.92}, …}}}. A day's rate is the one in force that
 * day: the latest published on or before it, at most {@link #MAX_AGE_DAYS} days old (reference rates are not
 * published on weekends and holidays). One instance serves one sync; what it read is kept for that sync only.
 */
final class ExchangeRates implements SpendConversion.Rates {
    static final int MAX_AGE_DAYS = 4;
    private final PlatformHttp http;
    private final RetryingCalls calls;
    private final URI url;
    private final LocalDate from;
    private final LocalDate to;
    private final Map<String, NavigableMap<LocalDate, Double>> read = new HashMap<>();
    private String problem;

    ExchangeRates(PlatformHttp http, RetryingCalls calls, URI url, LocalDate from, LocalDate to) {
        this.http = http;
        this.calls = calls;
        this.url = url;
        this.from = from;
        this.to = to;
    }

    @Override
    public OptionalDouble rate(LocalDate day, String base, String symbol) {
        if (url == null) return OptionalDouble.empty();
        NavigableMap<LocalDate, Double> rates = read.computeIfAbsent(base + "/" + symbol, k -> fetch(base, symbol));
        Map.Entry<LocalDate, Double> e = rates.floorEntry(day);
        if (e == null || e.getKey().isBefore(day.minusDays(MAX_AGE_DAYS))) return OptionalDouble.empty();
        return OptionalDouble.of(e.getValue());
    }

    /** Why a rate was missing, for the connection's status: no source, or what the source answered. */
    String whyMissing(String base, String symbol) {
        if (url == null) {
            return "no currency.rates-url is configured, so " + base + " is not converted to " + symbol;
        }
        return problem != null ? "the exchange-rate service failed: " + problem
                : url.getHost() + " has no " + base + "→" + symbol + " rate for those days";
    }

    private NavigableMap<LocalDate, Double> fetch(String base, String symbol) {
        NavigableMap<LocalDate, Double> out = new TreeMap<>();
        String q = url.toString().replaceAll("/+$", "") + "/" + from.minusDays(MAX_AGE_DAYS) + ".." + to
                + "?base=" + MetaInsights.enc(base) + "&symbols=" + MetaInsights.enc(symbol);
        try {
            JsonNode j = calls.call(() -> http.get(q, Map.of("Accept", "application/json")),
                    a -> a.ok() ? null : RetryingCalls.byStatus(a));
            j.path("rates").properties().forEach(day -> {
                JsonNode r = day.getValue().get(symbol);
                if (r != null && r.isNumber() && r.asDouble() > 0) out.put(LocalDate.parse(day.getKey()), r.asDouble());
            });
        } catch (SyncRefused | java.time.format.DateTimeParseException e) {
            problem = e.getMessage();
        }
        return out;
    }
}
