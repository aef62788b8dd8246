package io.touchpoint.server.fuzz;

import io.touchpoint.core.model.EventNames;
import io.touchpoint.server.http.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generated request bodies: mostly a dialect's own fields with plausible values, mixed with values of every other
 * JSON type, text around each documented length limit, odd characters, and bodies that are not what they claim
 * (cut short, followed by more, not UTF-8, another content type).
 */
final class FuzzBodies {
    /** One request body with the content type it is sent with (null: no Content-Type header). */
    record Body(byte[] bytes, String contentType) {
        @Override
        public String toString() {
            return contentType + " " + new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private FuzzBodies() {
    }

    /** Text a store can hold: anything from U+0001 up, with surrogates only in pairs (emoji). */
    static Arbitrary<String> text() {
        Arbitrary<String> any = Arbitraries.strings().withCharRange('\u0001', '\uD7FF').withCharRange('\uE000', '\uFFFD')
                .ofMaxLength(24);
        Arbitrary<String> ascii = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(24);
        Arbitrary<String> emoji = Arbitraries.integers().between(0x1F300, 0x1F64F).list().ofMaxSize(8)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString());
        Arbitrary<String> near = Arbitraries.of(254, 255, 256, 499, 500, 501, 8191, 8192, 8193, 10_001)
                .flatMap(n -> Arbitraries.strings().withCharRange('a', 'z').ofLength(n));
        Arbitrary<String> wideNear = Arbitraries.of(255, 256, 500, 501)
                .flatMap(n -> Arbitraries.strings().withCharRange('\u4E00', '\u9FFF').ofLength(n));
        Arbitrary<String> known = Arbitraries.of("", " ", "purchase", "Purchase", "lead_generated", "page_view", "event",
                "identify", "a@example.com", "B@Example.COM", "not-an-email", "+1 415 555 0100", "12", "203.0.113.9",
                "::1", "USD", "eur", "XAU", "2024-05-01T12:00:00Z", "1e999999999", "-1", "NaN", "null", "true",
                "=HYPERLINK(\"http://evil.example/\",\"x\")", "+cmd|' /C calc'!A0", "<script>alert(1)</script>",
                "../../etc/passwd", "%00", "\u202Eevil", "é", "😀", "https://shop.example/?utm_source=fb&gclid=G1",
                "tpv.visitor-1", "x".repeat(129));
        // what no store can hold: NUL and unpaired surrogates, alone or inside ordinary text
        Arbitrary<String> unstorable = Arbitraries.of("\u0000", "a\u0000b", "fp-\u0000", "\uD800", "x\uDC00y", "\uDBFF")
                .flatMap(bad -> ascii.map(s -> s.substring(0, s.length() / 2) + bad + s.substring(s.length() / 2)));
        return Arbitraries.frequencyOf(Tuple.of(4, any), Tuple.of(3, ascii), Tuple.of(1, emoji), Tuple.of(1, near),
                Tuple.of(1, wideNear), Tuple.of(4, known), Tuple.of(1, unstorable));
    }

    static Arbitrary<Object> number() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().map(i -> (Object) i)),
                Tuple.of(2, Arbitraries.bigDecimals().ofScale(4).map(d -> (Object) d)),
                Tuple.of(1, Arbitraries.of("1E+999999999", "-1E-999999999", "1e308", "123456789012345678901234567890",
                        "0.0000000000001", "-0", "5E+15", "86400", "1677093110", "1677093110000").map(BigDecimal::new)));
    }

    /** Any JSON value, nested at most {@code depth} deep. */
    static Arbitrary<Object> value(int depth) {
        Arbitrary<Object> leaf = Arbitraries.frequencyOf(Tuple.of(5, text().map(s -> (Object) s)), Tuple.of(2, number()),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b))).injectNull(0.1);
        if (depth == 0) return leaf;
        Arbitrary<Object> inner = Arbitraries.lazy(() -> value(depth - 1));
        return Arbitraries.frequencyOf(Tuple.of(6, leaf),
                Tuple.of(1, inner.list().ofMaxSize(4).map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.maps(text(), inner).ofMaxSize(4).map(m -> (Object) m)));
    }

    /** An object of the given fields, each present or not, with a plausible value or any other. */
    static Arbitrary<Map<String, Object>> object(Map<String, Arbitrary<?>> fields) {
        List<Arbitrary<Map.Entry<String, Object>>> entries = fields.entrySet().stream()
                .map(f -> Arbitraries.frequencyOf(Tuple.of(5, f.getValue().map(v -> (Object) v)), Tuple.of(1, value(2)))
                        .injectNull(0.05).map(v -> Map.entry(f.getKey(), v == null ? (Object) "" : v)).injectNull(0.4))
                .toList();
        Arbitrary<Map<String, Object>> known = Combinators.combine(entries).as(list -> {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : list) if (e != null) m.put(e.getKey(), e.getValue());
            return m;
        });
        Arbitrary<Map<String, Object>> extra = Arbitraries.maps(text(), value(1)).ofMaxSize(2);
        return Combinators.combine(known, extra).as((k, x) -> {
            Map<String, Object> m = new LinkedHashMap<>(x);
            m.putAll(k);
            return m;
        });
    }

    /** JSON text of {@code objects}, now and then broken or not an object at all. */
    static Arbitrary<String> jsonText(Arbitrary<Map<String, Object>> objects) {
        Arbitrary<String> json = objects.map(Json::text);
        return Arbitraries.frequencyOf(
                Tuple.of(16, json),
                Tuple.of(1, json.flatMap(j -> Arbitraries.of(" x", "{}", "]", " 1", "\n{\"a\":1}", "  ").map(t -> j + t))),
                Tuple.of(1, json.flatMap(j -> Arbitraries.integers().between(0, Math.max(0, j.length() - 1))
                        .map(n -> j.substring(0, n)))),
                Tuple.of(1, value(2).map(Json::text)),
                Tuple.of(1, Arbitraries.of("", "{", "}", "[]", "null", "{\"a\":1,\"a\":2}", "{'a':1}", "{\"a\":01}",
                        "{\"a\":\"\\ud83d\"}", "{\"a\":NaN}", "[".repeat(2000), "{\"a\":" + "[".repeat(1500) + "]".repeat(1500) + "}")));
    }

    /** A body in UTF-8 with its content type, now and then with bytes that are not UTF-8 or a type that is not JSON. */
    static Arbitrary<Body> body(Arbitrary<String> text, String usualType) {
        Arbitrary<String> type = Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.just(usualType)),
                Tuple.of(1, Arbitraries.of("application/json; charset=utf-8", "application/vnd.api+json",
                        "application/json; charset=ISO-8859-1", "text/plain", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "application/json; charset=\"UTF-16\"")),
                Tuple.of(1, Arbitraries.just((String) null)));
        Arbitrary<byte[]> bytes = Arbitraries.frequencyOf(
                Tuple.of(20, text.map(t -> t.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Combinators.combine(text, Arbitraries.of(new byte[]{(byte) 0xC3, 0x28}, new byte[]{(byte) 0xFF},
                        new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xC0, (byte) 0xAF},
                        new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})).as(FuzzBodies::insert)));
        return Combinators.combine(bytes, type).as(Body::new);
    }

    /** {@code bad} put into the middle of {@code text}'s UTF-8 bytes. */
    private static byte[] insert(String text, byte[] bad) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        int at = t.length / 2;
        byte[] out = new byte[t.length + bad.length];
        System.arraycopy(t, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(t, at, out, at + bad.length, t.length - at);
        return out;
    }

    /** Event names: the standard ones and a few that are not. */
    static final List<String> EVENT_NAMES = new ArrayList<>(EventNames.STANDARD);

    static {
        EVENT_NAMES.addAll(List.of("page_view", "custom_event_3", "Purchase", "lead", "test_event"));
    }

    static Arbitrary<Object> email() {
        return oneOf("a@example.com", "b@example.com", "Fuzz@Example.com", "c+tag@example.org", "fuzz@example.com");
    }

    static <T> Arbitrary<Object> oneOf(T... values) {
        return Arbitraries.of(values).map(v -> (Object) v);
    }
}
