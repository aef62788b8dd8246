package io.touchpoint.core.destinations;

import io.touchpoint.core.model.Event;
import io.touchpoint.core.model.IdentifierType;
import io.touchpoint.core.model.Item;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * Small pieces every platform's request builder shares: adding a field only when it holds something (the
 * platforms reject or mis-read empty strings and empty objects), numbers as the platforms expect them, and the
 * event's own contact details.
 */
final class RequestMaps {
    private RequestMaps() {
    }

    /** Puts {@code value} unless it is null, a blank string or an empty map or collection. */
    static void put(Map<String, Object> map, String key, Object value) {
        if (value == null) return;
        if (value instanceof String s && s.isBlank()) return;
        if (value instanceof Map<?, ?> m && m.isEmpty()) return;
        if (value instanceof Collection<?> c && c.isEmpty()) return;
        map.put(key, value);
    }

    /** A count as a whole number when it is one (2, not 2.0), so platforms that want integers accept it. */
    static Object count(BigDecimal quantity) {
        if (quantity == null) return null;
        BigDecimal stripped = quantity.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            try {
                return stripped.longValueExact();
            } catch (ArithmeticException tooLarge) {
                return quantity;
            }
        }
        return quantity;
    }

    /** The item's id as the platforms' catalogues know it: the SKU, else its name. */
    static String itemId(Item item) {
        return item.sku() != null && !item.sku().isBlank() ? item.sku() : item.name();
    }

    /** The event's email: the identifier (normalised at ingest), else what the person fields say. */
    static String email(Event event) {
        String id = event.identifier(IdentifierType.EMAIL);
        return id != null ? id : event.person().email();
    }

    /** The event's phone as digits with country code: the identifier, else the person's (also normalised). */
    static String phone(Event event) {
        String id = event.identifier(IdentifierType.PHONE);
        return id != null ? id : event.person().phone();
    }

    static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }
}
