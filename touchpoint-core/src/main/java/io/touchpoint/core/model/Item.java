package io.touchpoint.core.model;

import java.math.BigDecimal;

/** One line of a purchase. */
public record Item(String name, BigDecimal price, BigDecimal quantity, String sku, String category) {
}
