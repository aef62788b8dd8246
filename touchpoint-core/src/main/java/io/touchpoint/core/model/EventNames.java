package io.touchpoint.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The canonical event names: Cometly's standard events, custom_event_1 … custom_event_50, {@value #PAGE_VIEW}, and
 * {@link #META_ONLY}, Meta's standard events that Cometly has no name for. The last two the pixel and Able's
 * webhook produce, but Cometly's API does not accept them.
 */
public final class EventNames {
    public static final List<String> STANDARD = List.of(
            "lead_generated", "view_content", "schedule", "purchase", "subscribe", "add_to_cart", "contact",
            "initiate_checkout", "add_payment_info", "complete_registration", "start_trial", "sign_up",
            "submit_application", "webinar_registration");
    /**
     * Meta's standard events without a Cometly name, under names of their own in the canonical style: Able's
     * {@code AddToWishlist}, {@code CustomizeProduct}, {@code Donate}, {@code FindLocation} and {@code Search}
     * ({@code io.touchpoint.core.ingest.AbleEventTypes}). Reports show them under these names, and destinations send them as the platform's
     * standard event where it has one ({@code io.touchpoint.core.destinations.PlatformEventNames}).
     */
    public static final List<String> META_ONLY = List.of("add_to_wishlist", "customize_product", "donate",
            "find_location", "search");
    public static final int CUSTOM_EVENT_COUNT = 50;
    public static final String PAGE_VIEW = "page_view";
    /** The pixel's form-capture beacon: who the visitor is, tied to the visitor token. Only the pixel sends it. */
    public static final String IDENTIFY = "identify";
    /**
     * The dashboard's "send a test event": a real event through the real ingest path, under a name of its own so
     * that it is never a conversion, never credited and never forwarded. Cometly's API does not accept it.
     */
    public static final String TEST_EVENT = "test_event";
    private static final Set<String> STANDARD_SET = Set.copyOf(STANDARD);
    private static final Set<String> META_ONLY_SET = Set.copyOf(META_ONLY);
    private static final Pattern CUSTOM = Pattern.compile("custom_event_([1-9][0-9]?)");

    private EventNames() {
    }

    public static boolean isCanonical(String name) {
        return name != null && (PAGE_VIEW.equals(name) || META_ONLY_SET.contains(name) || isCometlyName(name));
    }

    /** What Cometly's events API accepts as event_name. */
    public static boolean isCometlyName(String name) {
        if (name == null) return false;
        if (STANDARD_SET.contains(name)) return true;
        var m = CUSTOM.matcher(name);
        return m.matches() && Integer.parseInt(m.group(1)) <= CUSTOM_EVENT_COUNT;
    }

    /** A canonical name the given one probably meant ("Purchase" → "purchase", "AddToCart" → "add_to_cart"). */
    public static Optional<String> suggest(String name) {
        String snake = name.strip().replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_').replace(' ', '_')
                .toLowerCase(Locale.ROOT);
        return isCometlyName(snake) ? Optional.of(snake) : Optional.empty();
    }

    /** For error messages: every name Cometly's API accepts, custom events abbreviated. */
    public static String describeAccepted() {
        return String.join(", ", STANDARD) + ", custom_event_1 … custom_event_" + CUSTOM_EVENT_COUNT;
    }

    /** For error messages: every canonical name, custom events abbreviated. */
    public static String describeCanonical() {
        return PAGE_VIEW + ", " + String.join(", ", STANDARD) + ", " + String.join(", ", META_ONLY)
                + ", custom_event_1 … custom_event_" + CUSTOM_EVENT_COUNT;
    }
}
