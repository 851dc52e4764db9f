package io.brickworks.cache.jcache;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.UUID;

/**
 * Which decoded values may be shared by every reader without breaking store-by-value: values that
 * nobody can modify. Those are the final immutable JDK types below (by exact class, so that a
 * mutable subclass of {@code BigDecimal} is not taken for one), enum constants (which deserialization
 * shares anyway), and records whose every component value is one of these (checked on the values,
 * to a small depth). Everything else (collections, arrays, {@code Date}, beans) is copied per reader.
 */
final class ImmutableValues {

    private static final Set<Class<?>> FINAL_IMMUTABLE = Set.of(String.class, Long.class, Integer.class,
            Short.class, Byte.class, Character.class, Boolean.class, Double.class, Float.class,
            BigInteger.class, BigDecimal.class, UUID.class, Instant.class, LocalDate.class, LocalTime.class,
            LocalDateTime.class, OffsetDateTime.class, ZonedDateTime.class, ZoneOffset.class, Duration.class,
            Period.class);

    private static final int MAX_DEPTH = 4;

    private ImmutableValues() {
    }

    /** Whether {@code value} is immutable as the class javadoc says (null counts as immutable). */
    static boolean isImmutable(Object value) {
        return isImmutable(value, 0);
    }

    private static boolean isImmutable(Object value, int depth) {
        if (value == null || FINAL_IMMUTABLE.contains(value.getClass()) || value instanceof Enum<?>) {
            return true;
        }
        Class<?> type = value.getClass();
        if (!type.isRecord() || depth >= MAX_DEPTH) {
            return false;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            Object component;
            try {
                component = c.getAccessor().invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false; // not accessible (or an accessor that throws): copied, never shared
            }
            if (!isImmutable(component, depth + 1)) {
                return false;
            }
        }
        return true;
    }
}
