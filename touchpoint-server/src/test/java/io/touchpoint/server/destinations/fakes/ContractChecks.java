package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Small format checks shared by the fakes (hashes, currencies, ids), so each platform class stays about its contract. */
final class ContractChecks {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ANY_CASE_SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Set<String> ISO_4217 = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

    private ContractChecks() {
    }

    /** A SHA-256 digest as platforms expect it: 64 lower-case hex characters. */
    static boolean isSha256Hex(String value) {
        return value != null && SHA256_HEX.matcher(value).matches();
    }

    /** Looks like a digest in any case: a field that must stay in clear was hashed. */
    static boolean looksHashed(String value) {
        return value != null && ANY_CASE_SHA256_HEX.matcher(value).matches();
    }

    /** An ISO 4217 code; {@code anyCase} for platforms that upper-case it themselves. */
    static boolean isIsoCurrency(String code, boolean anyCase) {
        if (code == null || code.length() != 3) {
            return false;
        }
        return ISO_4217.contains(anyCase ? code.toUpperCase(Locale.ROOT) : code);
    }

    /** A JSON string or an array of strings, as hashed identity fields may be sent; null when it is neither. */
    static List<String> stringOrStrings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (node.isTextual()) {
            values.add(node.asText());
            return values;
        }
        if (!(node instanceof ArrayNode array)) {
            return null;
        }
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return null;
            }
            values.add(item.asText());
        }
        return values;
    }

    /** A JSON number, or a string holding one (several APIs accept both). */
    static boolean isNumeric(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isNumber()) {
            return true;
        }
        if (!node.isTextual()) {
            return false;
        }
        try {
            Double.parseDouble(node.asText());
            return !node.asText().isBlank();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** An integral JSON number or a string of digits, as a long; null otherwise. */
    static Long integral(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isTextual() && node.asText().matches("-?\\d{1,18}")) {
            return Long.parseLong(node.asText());
        }
        return null;
    }

    /** A trace id shaped like the platforms' (opaque letters and digits). */
    static String traceId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 23);
    }

    static String digits(int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(ThreadLocalRandom.current().nextInt(i == 0 ? 1 : 0, 10));
        }
        return out.toString();
    }
}
