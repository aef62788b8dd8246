package io.touchpoint.server.destinations.fakes;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.touchpoint.server.destinations.fakes.GoogleAdsErrors.AdsError;
import io.touchpoint.server.destinations.fakes.GoogleAdsErrors.PathElement;

/**
 * The per-row rules of ConversionUploadService.UploadClickConversions (ClickConversion in
 * conversion_upload_service.proto; error enums in conversion_upload_error.proto, field_error.proto,
 * date_error.proto). Each failed row gets one GoogleAdsError located at conversions[i].field.
 */
final class GoogleAdsConversionRules {
    static final Pattern ACTION_NAME = Pattern.compile("customers/(\\d+)/conversionActions/(\\d+)");
    static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}");
    static final DateTimeFormatter DATE_TIME_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ssxxx");
    static final Duration CLICK_THROUGH_WINDOW = Duration.ofDays(90);
    private static final Pattern CLICK_ID = Pattern.compile("[A-Za-z0-9_\\-]{20,}");
    private static final int MAX_USER_IDENTIFIERS = 5;

    /** A checked row: its error (null when valid) and the parts its dedup keys are made of. */
    record Row(AdsError error, long actionId, String clickId, Instant conversionTime) {
    }

    private GoogleAdsConversionRules() {
    }

    /** Parses "yyyy-mm-dd hh:mm:ss+|-hh:mm"; null when the text is not exactly of that form or not a real date. */
    static Instant parseDateTime(String text) {
        if (text == null || !DATE_TIME.matcher(text).matches()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DATE_TIME_FORMAT).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static Row check(int i, JsonNode row, String customerId, Set<Long> actions, Map<String, Instant> clicks,
                     Instant now, Consumer<String> advice) {
        JsonNode action = row.get("conversionAction");
        if (action == null || !action.isTextual()) {
            return fail(AdsError.of("fieldError", "REQUIRED", "The required field was not present.",
                    PathElement.row(i), PathElement.field("conversion_action")));
        }
        Matcher name = ACTION_NAME.matcher(action.asText());
        if (!name.matches()) {
            return fail(AdsError.of("requestError", "RESOURCE_NAME_MALFORMED", "Resource name provided is malformed.",
                    PathElement.row(i), PathElement.field("conversion_action")));
        }
        if (!name.group(1).equals(customerId)) {
            advice.accept("conversions[" + i + "].conversion_action names customer " + name.group(1) + " but the upload is for "
                    + customerId + " (Google ignores the customer part, so a mix-up would go unnoticed)");
        }
        long actionId = Long.parseLong(name.group(2));
        if (!actions.contains(actionId)) {
            return fail(AdsError.of("conversionUploadError", "NO_CONVERSION_ACTION_FOUND",
                    "The conversion action specified in the upload request cannot be found. Make sure it's available in this account.",
                    PathElement.row(i), PathElement.field("conversion_action")));
        }
        JsonNode dateTime = row.get("conversionDateTime");
        if (dateTime == null || !dateTime.isTextual()) {
            return fail(AdsError.of("fieldError", "REQUIRED", "The required field was not present.",
                    PathElement.row(i), PathElement.field("conversion_date_time")));
        }
        if (!DATE_TIME.matcher(dateTime.asText()).matches()) {
            return fail(AdsError.of("dateError", "INVALID_STRING_DATE_TIME_SECONDS_WITH_OFFSET",
                    "The string date time's format should be yyyy-mm-dd hh:mm:ss+|-hh:mm.",
                    PathElement.row(i), PathElement.field("conversion_date_time")));
        }
        Instant conversionTime = parseDateTime(dateTime.asText());
        if (conversionTime == null) {
            return fail(AdsError.of("dateError", "INVALID_FIELD_VALUES_IN_DATE_TIME",
                    "Given field values do not correspond to a valid date time.", PathElement.row(i), PathElement.field("conversion_date_time")));
        }
        if (conversionTime.isAfter(now.plus(Duration.ofMinutes(1)))) {
            return fail(AdsError.of("dateError", "LATER_THAN_MAXIMUM_DATE", "Date is after allowed maximum.",
                    PathElement.row(i), PathElement.field("conversion_date_time")));
        }
        JsonNode currency = row.get("currencyCode");
        if (currency != null && !ContractChecks.isIsoCurrency(currency.asText(), false)) {
            return fail(AdsError.of("currencyCodeError", "UNSUPPORTED", "The currency code is not supported.",
                    PathElement.row(i), PathElement.field("currency_code")));
        }
        AdsError identifiers = checkUserIdentifiers(i, row.get("userIdentifiers"));
        if (identifiers != null) {
            return fail(identifiers);
        }
        return checkClick(i, row, actionId, conversionTime, clicks, advice);
    }

    private static Row checkClick(int i, JsonNode row, long actionId, Instant conversionTime, Map<String, Instant> clicks,
                                  Consumer<String> advice) {
        String gclid = text(row, "gclid");
        String gbraid = text(row, "gbraid");
        String wbraid = text(row, "wbraid");
        if (gbraid != null && wbraid != null) {
            return fail(AdsError.of("conversionUploadError", "GBRAID_WBRAID_BOTH_SET",
                    "Can't use both gbraid and wbraid parameters. Use only 1 and try again.", PathElement.row(i), PathElement.field("wbraid")));
        }
        if (gclid != null && (gbraid != null || wbraid != null)) {
            return fail(AdsError.of("fieldError", "VALUE_MUST_BE_UNSET", "The field cannot be set.",
                    PathElement.row(i), PathElement.field(gbraid != null ? "gbraid" : "wbraid")));
        }
        String field = gclid != null ? "gclid" : gbraid != null ? "gbraid" : wbraid != null ? "wbraid" : null;
        if (field == null) {
            if (row.path("userIdentifiers").isEmpty()) {
                advice.accept("conversions[" + i + "] has no gclid, gbraid, wbraid or user identifier");
                return fail(AdsError.of("fieldError", "REQUIRED", "The required field was not present.", PathElement.row(i), PathElement.field("gclid")));
            }
            return fail(clickNotFound(i, "user_identifiers"));
        }
        String clickId = text(row, field);
        if (!CLICK_ID.matcher(clickId).matches()) {
            String code = "gclid".equals(field) ? "UNPARSEABLE_GCLID" : "gbraid".equals(field) ? "UNPARSEABLE_GBRAID" : "UNPARSEABLE_WBRAID";
            String message = "gclid".equals(field) ? "The imported gclid could not be decoded."
                    : "Can't parse event import data. Check if your " + field + " parameter was not modified and try again.";
            return fail(AdsError.of("conversionUploadError", code, message, PathElement.row(i), PathElement.field(field)));
        }
        Instant clickTime = clicks.get(clickId);
        if (clickTime == null) {
            return fail(clickNotFound(i, field));
        }
        if (conversionTime.isBefore(clickTime)) {
            return fail(AdsError.of("conversionUploadError", "CONVERSION_PRECEDES_EVENT",
                    "The imported event has a `conversion_date_time` that precedes the click. Make sure your `conversion_date_time` is correct and try again.",
                    PathElement.row(i), PathElement.field("conversion_date_time")));
        }
        if (conversionTime.isAfter(clickTime.plus(CLICK_THROUGH_WINDOW))) {
            return fail(AdsError.of("conversionUploadError", "EXPIRED_EVENT",
                    "The imported event can't be recorded because its click occurred before this conversion's click-through window. Make sure you import the most recent data.",
                    PathElement.row(i), PathElement.field(field)));
        }
        return new Row(null, actionId, clickId, conversionTime);
    }

    private static AdsError checkUserIdentifiers(int i, JsonNode identifiers) {
        if (identifiers == null || identifiers.isNull()) {
            return null;
        }
        if (identifiers.size() > MAX_USER_IDENTIFIERS) {
            return AdsError.of("collectionSizeError", "TOO_MANY", "Too many elements.", PathElement.row(i), PathElement.field("user_identifiers"));
        }
        for (int j = 0; j < identifiers.size(); j++) {
            JsonNode identifier = identifiers.get(j);
            PathElement at = new PathElement("user_identifiers", j);
            String email = text(identifier, "hashedEmail");
            String phone = text(identifier, "hashedPhoneNumber");
            if (email == null && phone == null) {
                return AdsError.of("conversionUploadError", "UNSUPPORTED_USER_IDENTIFIER",
                        "The provided user identifiers are not supported. Use only hashed email or phone number and try again.", PathElement.row(i), at);
            }
            for (String value : List.of(email == null ? "" : email, phone == null ? "" : phone)) {
                if (!value.isEmpty() && !ContractChecks.isSha256Hex(value)) {
                    return AdsError.of("conversionUploadError", "INVALID_USER_IDENTIFIER",
                            "Make sure you hash user provided data using SHA-256 and ensure you are normalizing according to the guidelines.",
                            PathElement.row(i), at);
                }
            }
        }
        return null;
    }

    private static AdsError clickNotFound(int i, String field) {
        return AdsError.of("conversionUploadError", "CLICK_NOT_FOUND",
                "The click associated with this conversion could not be found. Make sure the identifier is correct and comes from a Google Ads click.",
                PathElement.row(i), PathElement.field(field));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    private static Row fail(AdsError error) {
        return new Row(error, 0, null, null);
    }
}
