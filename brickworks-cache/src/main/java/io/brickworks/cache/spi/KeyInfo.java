package io.brickworks.cache.spi;

/**
 * What a key holds, for the admin API.
 *
 * @param type what the key holds
 * @param size a list's length, a set's, sorted set's or hash's number of members, a string's length in bytes;
 *     0 for a missing key
 * @param ttlMillis the remaining time to live in milliseconds, {@code -1} without expiry, {@code -2} for a missing key
 */
public record KeyInfo(Type type, long size, long ttlMillis) {

    /** A key that does not exist. */
    public static final KeyInfo MISSING = new KeyInfo(Type.NONE, 0, -2);

    /** The kinds of value a key holds, as Redis {@code TYPE} names them. */
    public enum Type {
        /** A plain value or a counter. */
        STRING,
        /** A list (a queue). */
        LIST,
        /** A set (a set, an index). */
        SET,
        /** A sorted set (an acknowledged queue's in-flight and delayed records). */
        SORTED_SET,
        /** A hash (an acknowledged queue's items, attempts and history). */
        HASH,
        /** Another Redis type, written by someone else. */
        OTHER,
        /** The key does not exist. */
        NONE
    }
}
