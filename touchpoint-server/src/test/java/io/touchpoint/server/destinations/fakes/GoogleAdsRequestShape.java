package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What Google's proto3 JSON transcoder does before the Ads API sees an upload: it accepts lowerCamel and
 * snake_case field names alike (renamed here to lowerCamel, in place), refuses unknown names and values of
 * the wrong type with a google.rpc.BadRequest naming the proto field path.
 */
final class GoogleAdsRequestShape {
    private static final Set<String> CONSENT_FIELDS = Set.of("adUserData", "adPersonalization");
    private static final Set<String> CONSENT_STATUSES = Set.of("UNSPECIFIED", "UNKNOWN", "GRANTED", "DENIED");
    private static final Set<String> USER_IDENTIFIER_FIELDS = Set.of("hashedEmail", "hashedPhoneNumber", "mobileId",
            "thirdPartyUserId", "addressInfo", "userIdentifierSource");

    private GoogleAdsRequestShape() {
    }

    /** Null when the body transcodes; otherwise the transcoder's 400 answer. */
    static FakePlatform.Answer check(ObjectNode body, Set<String> requestFields, Set<String> conversionFields) {
        FakePlatform.Answer refused = normalize(body, requestFields, null);
        if (refused != null) {
            return refused;
        }
        for (String flag : List.of("partialFailure", "validateOnly", "debugEnabled")) {
            if (body.has(flag) && !body.get(flag).isBoolean()) {
                return wrongType(snake(flag), "TYPE_BOOL", body.get(flag));
            }
        }
        JsonNode conversions = body.get("conversions");
        if (conversions == null || conversions.isNull()) {
            return null;
        }
        if (!conversions.isArray()) {
            return wrongType("conversions", "TYPE_MESSAGE", conversions);
        }
        for (int i = 0; i < conversions.size(); i++) {
            String at = "conversions[" + i + "]";
            if (!(conversions.get(i) instanceof ObjectNode row)) {
                return wrongType(at, "TYPE_MESSAGE", conversions.get(i));
            }
            refused = normalize(row, conversionFields, at);
            if (refused != null) {
                return refused;
            }
            if (row.has("conversionValue") && !ContractChecks.isNumeric(row.get("conversionValue"))) {
                return wrongType(at + ".conversion_value", "TYPE_DOUBLE", row.get("conversionValue"));
            }
            refused = consent(row.get("consent"), at + ".consent");
            if (refused != null) {
                return refused;
            }
            JsonNode identifiers = row.get("userIdentifiers");
            if (identifiers != null && !identifiers.isNull()) {
                if (!identifiers.isArray()) {
                    return wrongType(at + ".user_identifiers", "TYPE_MESSAGE", identifiers);
                }
                for (int j = 0; j < identifiers.size(); j++) {
                    String identifierAt = at + ".user_identifiers[" + j + "]";
                    if (!(identifiers.get(j) instanceof ObjectNode identifier)) {
                        return wrongType(identifierAt, "TYPE_MESSAGE", identifiers.get(j));
                    }
                    refused = normalize(identifier, USER_IDENTIFIER_FIELDS, identifierAt);
                    if (refused != null) {
                        return refused;
                    }
                }
            }
        }
        return null;
    }

    /** A ClickConversion's Consent message: adUserData and adPersonalization, each a ConsentStatus enum name. */
    private static FakePlatform.Answer consent(JsonNode consent, String at) {
        if (consent == null || consent.isNull()) {
            return null;
        }
        if (!(consent instanceof ObjectNode c)) {
            return wrongType(at, "TYPE_MESSAGE", consent);
        }
        FakePlatform.Answer refused = normalize(c, CONSENT_FIELDS, at);
        if (refused != null) {
            return refused;
        }
        for (String field : CONSENT_FIELDS) {
            JsonNode v = c.get(field);
            if (v != null && !(v.isTextual() && CONSENT_STATUSES.contains(v.asText()))) {
                return wrongType(at + "." + snake(field), "TYPE_ENUM", v);
            }
        }
        return null;
    }

    /** Renames snake_case keys to lowerCamel and refuses names the message does not have. */
    private static FakePlatform.Answer normalize(ObjectNode node, Set<String> known, String at) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            String camel = camel(name);
            if (!known.contains(camel)) {
                String where = at == null ? "" : " at '" + at + "'";
                return GoogleAdsErrors.badJson(at == null ? "" : at,
                        "Invalid JSON payload received. Unknown name \"" + name + "\"" + where + ": Cannot find field.");
            }
            if (!camel.equals(name)) {
                node.set(camel, node.remove(name));
            }
        }
        return null;
    }

    private static FakePlatform.Answer wrongType(String field, String type, JsonNode value) {
        return GoogleAdsErrors.badJson(field, "Invalid value at '" + field + "' (" + type + "), " + value);
    }

    static String camel(String name) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    static String snake(String name) {
        return name.replaceAll("([A-Z])", "_$1").toLowerCase();
    }
}
