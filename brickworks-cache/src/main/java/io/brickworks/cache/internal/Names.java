package io.brickworks.cache.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks the names that become segments of a Redis key (keys, namespaces, index names, tenants,
 * lock names, function names). Every failure is an {@link IllegalArgumentException} that names the
 * argument and shows the bad value.
 */
public final class Names {

    private Names() {
    }

    /**
     * Checks that {@code value} is a usable key segment: not null, not empty, no colon.
     *
     * @return {@code value}
     */
    public static String check(String argument, String value) {
        if (value == null) {
            throw new IllegalArgumentException(argument + " must not be null");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(argument + " must not be empty");
        }
        if (value.indexOf(':') >= 0) {
            throw new IllegalArgumentException(argument + " must not contain a colon (:) but was '" + value + "'");
        }
        return value;
    }

    /**
     * The longest expiry or TTL accepted: a million years. Longer ones (say
     * {@code ChronoUnit.FOREVER.getDuration()}) cannot be represented by every store, so they are
     * rejected rather than overflowing into "already expired".
     */
    public static final Duration MAX_EXPIRE = Duration.ofDays(365L * 1_000_000);

    /** Checks that an expiry or TTL is positive (at least one millisecond) and at most {@link #MAX_EXPIRE}. */
    public static Duration checkExpire(String argument, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(argument + " must not be null");
        }
        if (value.compareTo(MAX_EXPIRE) > 0) {
            throw new IllegalArgumentException(argument + " must be at most " + MAX_EXPIRE.toDays() + " days but was " + value);
        }
        if (value.isNegative() || value.isZero() || value.toMillis() == 0) {
            throw new IllegalArgumentException(argument + " must be at least 1 ms but was " + value);
        }
        return value;
    }

    /** Checks that a duration is not null and not negative (zero is allowed). */
    public static Duration checkNotNegative(String argument, Duration value) {
        checkNotNull(argument, value);
        if (value.isNegative()) {
            throw new IllegalArgumentException(argument + " must not be negative but was " + value);
        }
        return value;
    }

    /** Checks that a value is not null. */
    public static <T> T checkNotNull(String argument, T value) {
        if (value == null) {
            throw new IllegalArgumentException(argument + " must not be null");
        }
        return value;
    }

    /**
     * Checks the members given to a set operation: not null, not empty, no null element.
     *
     * @return a copy, safe from later changes by the caller
     */
    public static List<String> checkMembers(String argument, Collection<String> values) {
        checkNotNull(argument, values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException(argument + " must not be empty");
        }
        List<String> copy = new ArrayList<>(values.size());
        for (String v : values) {
            copy.add(checkNotNull(argument + " (an element)", v));
        }
        return copy;
    }
}
