package io.touchpoint.server.adaccounts.fakes;

import io.touchpoint.server.destinations.fakes.FakePlatform;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Frankfurter exchange-rate service: {@code GET {base path}/{start}..{end}?base=USD&symbols=EUR} answers the working days'
 * rates of the range ({@code {"amount": 1.0, "base", "start_date", "end_date", "rates": {day: {symbol: rate}}}}).
 */
public final class FakeExchangeRates extends FakePlatform {
    private final Map<String, TreeMap<LocalDate, Double>> rates = new LinkedHashMap<>();

    /** One {@code base} unit buys {@code rate} of {@code symbol} on {@code day}. */
    public synchronized void put(LocalDate day, String base, String symbol, double rate) {
        rates.computeIfAbsent(base + "/" + symbol, k -> new TreeMap<>()).put(day, rate);
    }

    @Override
    protected synchronized Answer handle(RecordedRequest r) {
        String[] range = r.path().substring(r.path().lastIndexOf('/') + 1).split("\\.\\.");
        if (!r.method().equals("GET") || range.length != 2) {
            violation("rates are read with GET /{start}..{end}: " + r.method() + " " + r.path());
            return Answer.json(404, Map.of("message", "not found"));
        }
        LocalDate start = LocalDate.parse(range[0]), end = LocalDate.parse(range[1]);
        String base = r.queryParam("base"), symbol = r.queryParam("symbols");
        Map<String, Object> days = new TreeMap<>();
        rates.getOrDefault(base + "/" + symbol, new TreeMap<>()).subMap(start, true, end, true)
                .forEach((day, rate) -> days.put(day.toString(), Map.of(symbol, rate)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount", 1.0);
        body.put("base", base);
        body.put("start_date", start.toString());
        body.put("end_date", end.toString());
        body.put("rates", days);
        return Answer.json(200, body);
    }
}
