package io.brickworks.cache.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks the names that become segments of a Redis key (keys, namespaces, index names, queue and set
 * names, tenants, lock names, function names, the key prefix) and the durations of every call.
 * Every failure is an {@link IllegalArgumentException} that names the argument and shows the bad
 * value made safe to log by {@link #show}.
 *
 * <p><b>One name, one key.</b> A name must be well-formed Unicode: a lone (unpaired) surrogate is
 * rejected, because UTF-8 cannot encode it and Redis would store two different names as one key
 * while the memory backend kept them apart. Set members are checked the same way.
 *
 * <p><b>Reserved names.</b> The original's key schema gives three names a meaning of their own:
 * {@value KeyScope#LOCK_NAMESPACE} (the namespace of locks) and {@value KeyScope#FUNCTION_NAMESPACE}
 * (the namespace of the function cache) may not be used as the namespace of a key, queue, set or
 * index ({@link #checkNamespace}), and a key, queue or set name may not start with
 * {@value KeyScope#INDEX_PREFIX} ({@link #checkKey}), which is how index sets are stored. Those
 * structures are reached only through their own features (locks, the function cache, indices).
 */
public final class Names {

    private Names() {
    }

    /** How many characters of a rejected value a message shows; a longer value is cut, with its length. */
    static final int SHOWN_CHARS = 80;

    /**
     * Checks that {@code value} is a usable key segment: not null, not empty, no colon, well-formed
     * Unicode (no lone surrogate).
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
            throw new IllegalArgumentException(argument + " must not contain a colon (:) but was " + show(value));
        }
        checkWellFormed(argument, value);
        return value;
    }

    /** Checks that {@code value} has no lone surrogate, so that its UTF-8 encoding is lossless. */
    private static void checkWellFormed(String argument, String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException(argument + " must be well-formed Unicode but has a lone "
                            + "surrogate at index " + i + ": " + show(value));
                }
            }
        }
    }

    /**
     * Checks a key, queue or set name: {@link #check}, and not starting with
     * {@value KeyScope#INDEX_PREFIX} (the reserved form of an index's storage).
     */
    public static String checkKey(String argument, String value) {
        check(argument, value);
        if (value.startsWith(KeyScope.INDEX_PREFIX)) {
            throw new IllegalArgumentException(argument + " must not start with the reserved " + KeyScope.INDEX_PREFIX
                    + " (the storage of indices) but was " + show(value));
        }
        return value;
    }

    /**
     * Checks the namespace of a key, queue, set or index: {@link #check}, and not one of the reserved
     * namespaces {@value KeyScope#LOCK_NAMESPACE} and {@value KeyScope#FUNCTION_NAMESPACE}.
     */
    public static String checkNamespace(String argument, String value) {
        check(argument, value);
        if (value.equals(KeyScope.LOCK_NAMESPACE) || value.equals(KeyScope.FUNCTION_NAMESPACE)) {
            throw new IllegalArgumentException(argument + " must not be the reserved " + value
                    + " (locks and the function cache write there) but was " + show(value));
        }
        return value;
    }

    /**
     * Checks the namespace of a read or a deletion: {@link #check}, and not the reserved
     * {@value KeyScope#LOCK_NAMESPACE}. The function cache's namespace {@value KeyScope#FUNCTION_NAMESPACE}
     * may be read, listed and deleted from (the original clears a function with
     * {@code delete_keys_by_index(name, "FUNC_CACHE")}), but not written ({@link #checkNamespace}).
     */
    public static String checkReadableNamespace(String argument, String value) {
        check(argument, value);
        if (value.equals(KeyScope.LOCK_NAMESPACE)) {
            throw new IllegalArgumentException(argument + " must not be the reserved " + value
                    + " (use the lock API) but was " + show(value));
        }
        return value;
    }

    /**
     * {@code value} made safe for a message and a log line: quoted, {@link #escape escaped}, and cut
     * after {@link #SHOWN_CHARS} characters with the full length added.
     */
    public static String show(String value) {
        if (value == null) {
            return "null";
        }
        int n = Math.min(value.length(), SHOWN_CHARS);
        StringBuilder out = new StringBuilder(n + 16).append('\'');
        escape(value, n, out);
        out.append('\'');
        if (value.length() > n) {
            out.append("... (").append(value.length()).append(" chars)");
        }
        return out.toString();
    }

    /**
     * {@code value} made safe for a terminal, whole and unquoted: control and format characters (CR,
     * LF, ESC, BEL, DEL, C1 controls, line separators, bidi controls, unassigned and surrogate chars)
     * shown as a backslash, {@code u} and four hex digits; a byte of a stored name that is not valid
     * UTF-8 ({@link io.brickworks.cache.spi.StoredNames}) as a backslash, {@code x} and two hex digits; a
     * backslash doubled. So the result has no character a terminal interprets, and two different
     * names never show the same.
     */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        escape(value, value.length(), out);
        return out.toString();
    }

    private static void escape(String value, int n, StringBuilder out) {
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            int type = Character.getType(c);
            if (c == '\\') {
                out.append("\\\\");
            } else if (io.brickworks.cache.spi.StoredNames.isEscapedByte(c)
                    && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)))) {
                out.append(String.format("\\x%02x", c & 0xFF));
            } else if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                    || type == Character.UNASSIGNED) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
    }

    /**
     * The longest duration accepted anywhere (expiries, TTLs, renewal intervals, waits, leases,
     * minimum hold times): 100 years, 36,500 days. Every store and every timer can represent it in
     * nanoseconds after adding it to a clock reading, so nothing after the check overflows; longer
     * ones (say {@code ChronoUnit.FOREVER.getDuration()}) are rejected rather than overflowing into
     * "already expired" or "never".
     */
    public static final Duration MAX_DURATION = Duration.ofDays(36_500);

    /** Checks that an expiry or TTL is positive (at least one millisecond) and at most {@link #MAX_DURATION}. */
    public static Duration checkExpire(String argument, Duration value) {
        checkNotNull(argument, value);
        checkAtMost(argument, value);
        if (value.isNegative() || value.isZero() || value.toMillis() == 0) {
            throw new IllegalArgumentException(argument + " must be at least 1 ms but was " + value);
        }
        return value;
    }

    private static void checkAtMost(String argument, Duration value) {
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(argument + " must be at most " + MAX_DURATION.toDays() + " days but was "
                    + value);
        }
    }

    /** Checks that a duration is not null, not negative (zero is allowed) and at most {@link #MAX_DURATION}. */
    public static Duration checkNotNegative(String argument, Duration value) {
        checkNotNull(argument, value);
        if (value.isNegative()) {
            throw new IllegalArgumentException(argument + " must not be negative but was " + value);
        }
        checkAtMost(argument, value);
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
     * Checks the members given to a set operation: not null, not empty, no null element, each
     * well-formed Unicode (so that both backends store the same member).
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
            checkWellFormed(argument + " (an element)", checkNotNull(argument + " (an element)", v));
            copy.add(v);
        }
        return copy;
    }

    /** Checks a single set member: not null, well-formed Unicode. */
    public static String checkMember(String argument, String value) {
        checkNotNull(argument, value);
        checkWellFormed(argument, value);
        return value;
    }
}
