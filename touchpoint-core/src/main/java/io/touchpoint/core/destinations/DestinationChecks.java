package io.touchpoint.core.destinations;

import io.touchpoint.core.ingest.FieldError;
import io.touchpoint.core.model.EventNames;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules a destination's settings follow, per type: each broken one becomes a {@link FieldError}. */
public final class DestinationChecks {
    static final int MAX_NAME = 100;
    static final int MAX_SETTING = 2048;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,30}");
    private static final Pattern CUSTOMER_ID = Pattern.compile("[0-9]{3}-?[0-9]{3}-?[0-9]{4}");
    private static final Pattern CONVERSION_ACTION = Pattern.compile("[0-9]{1,20}|customers/[0-9]{10}/conversionActions/[0-9]{1,20}");
    private static final Pattern MEASUREMENT_ID = Pattern.compile("G-[A-Z0-9]{4,20}");
    private static final Pattern PLATFORM_EVENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_ ]{0,39}");
    private static final Set<String> ACTION_SOURCES = Set.of("email", "website", "app", "phone_call", "chat",
            "physical_store", "system_generated", "business_messaging", "other");

    private DestinationChecks() {
    }

    public static void name(String name, List<FieldError> errors) {
        if (name == null || name.isBlank() || name.strip().length() > MAX_NAME) {
            errors.add(new FieldError("name", name == null ? FieldError.MISSING : FieldError.INVALID_VALUE,
                    "name must have 1 to " + MAX_NAME + " characters"));
        }
    }

    /** Checks the complete settings (plain and secret) of a destination of {@code type}. */
    public static void settings(DestinationType type, Map<String, String> all, List<FieldError> errors) {
        for (String key : all.keySet()) {
            if (!type.requiredSettings().contains(key) && !type.secretSettings().contains(key)
                    && !type.optionalSettings().contains(key)) {
                errors.add(new FieldError("settings." + key, FieldError.INVALID_VALUE, "a " + type.wireName()
                        + " destination has no setting '" + key + "'; it takes " + String.join(", ", known(type))));
            } else if (all.get(key) != null && all.get(key).length() > MAX_SETTING) {
                errors.add(new FieldError("settings." + key, FieldError.INVALID_VALUE, key + " is longer than " + MAX_SETTING + " characters"));
            }
        }
        for (String key : type.requiredSettings()) required(all, key, errors);
        for (String key : type.secretSettings()) required(all, key, errors);
        switch (type) {
            case META -> {
                matches(all, "pixel_id", DIGITS, "a Meta pixel (dataset) id is digits", errors);
                String source = all.get("action_source");
                if (source != null && !ACTION_SOURCES.contains(source)) {
                    errors.add(new FieldError("settings.action_source", FieldError.INVALID_VALUE,
                            "action_source must be one of " + String.join(", ", new java.util.TreeSet<>(ACTION_SOURCES))));
                }
            }
            case GOOGLE_ADS -> {
                matches(all, "customer_id", CUSTOMER_ID, "customer_id is the account's 10-digit id, as 123-456-7890 or 1234567890", errors);
                matches(all, "login_customer_id", CUSTOMER_ID, "login_customer_id is the manager account's 10-digit id", errors);
                matches(all, "conversion_action", CONVERSION_ACTION,
                        "conversion_action is the conversion action's id or its resource name customers/…/conversionActions/…", errors);
            }
            case TIKTOK -> matches(all, "pixel_code", Pattern.compile("[A-Z0-9]{6,40}"), "a TikTok pixel code is upper-case letters and digits", errors);
            case GA4 -> {
                matches(all, "measurement_id", MEASUREMENT_ID, "a GA4 measurement id looks like G-XXXXXXXXXX", errors);
                String userId = all.get("send_user_id");
                if (userId != null && !userId.equals("true") && !userId.equals("false")) {
                    errors.add(new FieldError("settings.send_user_id", FieldError.INVALID_VALUE, "send_user_id is true or false"));
                }
            }
            case WEBHOOK -> {
                String problem = url(all.get("url"), true);
                if (all.get("url") != null && problem != null) {
                    errors.add(new FieldError("settings.url", FieldError.INVALID_VALUE, problem));
                }
            }
        }
    }

    static List<String> known(DestinationType type) {
        List<String> out = new java.util.ArrayList<>(type.requiredSettings());
        out.addAll(type.secretSettings());
        out.addAll(type.optionalSettings());
        return out;
    }

    public static void events(List<String> events, Map<String, String> eventMap, List<FieldError> errors) {
        if (events != null) {
            for (String e : events) {
                if (!EventNames.isCanonical(e)) {
                    errors.add(new FieldError("events", FieldError.INVALID_VALUE, "'" + e + "' is not an event name; names are "
                            + EventNames.describeCanonical()));
                }
            }
        }
        if (eventMap != null) {
            eventMap.forEach((from, to) -> {
                if (!EventNames.isCanonical(from)) {
                    errors.add(new FieldError("event_map", FieldError.INVALID_VALUE, "'" + from + "' is not an event name"));
                } else if (to == null || !PLATFORM_EVENT_NAME.matcher(to).matches()) {
                    errors.add(new FieldError("event_map." + from, FieldError.INVALID_VALUE,
                            "a platform event name has 1 to 40 letters, digits, spaces or underscores and starts with a letter"));
                }
            });
        }
    }

    /** Null when {@code url} is acceptable: https, or http to this machine only (tests, a local relay). */
    public static String url(String url, boolean pathAllowed) {
        if (url == null) return null;
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (u.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                return "must be an absolute http(s) URL";
            }
            if (scheme.equals("http") && !loopback(u.getHost())) {
                return "must use https (plain http is allowed only to localhost)";
            }
            if (!pathAllowed && (u.getRawQuery() != null || u.getRawFragment() != null)) return "must not have a query or fragment";
            if (u.getRawUserInfo() != null) return "must not carry credentials";
            return null;
        } catch (URISyntaxException e) {
            return "is not a valid URL: " + e.getReason();
        }
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private static void required(Map<String, String> all, String key, List<FieldError> errors) {
        String v = all.get(key);
        if (v == null || v.isBlank()) {
            errors.add(new FieldError("settings." + key, FieldError.MISSING, key + " is required"));
        }
    }

    private static void matches(Map<String, String> all, String key, Pattern p, String message, List<FieldError> errors) {
        String v = all.get(key);
        if (v != null && !v.isBlank() && !p.matcher(v.strip()).matches()) {
            errors.add(new FieldError("settings." + key, FieldError.INVALID_VALUE, message));
        }
    }
}
