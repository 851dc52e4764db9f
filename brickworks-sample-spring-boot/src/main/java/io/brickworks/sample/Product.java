package io.brickworks.sample;

import java.math.BigDecimal;

/** A product; cached as JSON (its package is the application's, so the cache may decode it). */
public record Product(long id, String name, BigDecimal price) {
}
