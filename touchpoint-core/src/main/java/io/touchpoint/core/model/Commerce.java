package io.touchpoint.core.model;

import java.math.BigDecimal;
import java.util.List;

/** The money side of a conversion; value and currency are null when the event has no value. */
public record Commerce(BigDecimal value, String currency, String orderId, String orderName,
                       String checkoutToken, List<Item> items) {
    public static final Commerce NONE = new Commerce(null, null, null, null, null, List.of());

    public Commerce {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
