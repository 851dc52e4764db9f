package io.brickworks.cache.internal;

import java.util.List;
import java.util.function.Function;

/**
 * The read and write path of a backend that lives in this process (the memory backend), used by the
 * cache in place of the {@link io.brickworks.cache.spi.CacheBackend} calls of the same meaning so
 * that a hit costs no key concatenation, no byte copy and no decoding. Not API: the cache uses it
 * only when its backend implements it, and every method has the contract of its SPI counterpart on
 * the full key {@code head + key}.
 *
 * <p>{@code head} is {@code <prefix>:<tenant>:<namespace>:}, as {@link KeyScope#head} gives it;
 * {@code key} is a key segment (no colon). Methods run on the calling thread and never block.
 */
public interface InProcessStore {

    /**
     * The plain value at {@code head + key} as text in a completed {@link SharedFuture} (the same one
     * for every read of the same write), or {@code null} (not a future) when missing, expired or not a
     * plain value.
     */
    SharedFuture<String> getText(String head, String key);

    /** The plain value at {@code head + key} as a new array the caller owns, or {@code null}. */
    byte[] getBytes(String head, String key);

    /**
     * Stores text at {@code head + key}, as {@link io.brickworks.cache.spi.CacheBackend#set} stores
     * its UTF-8 bytes (the two are interchangeable: text written here reads back as bytes there).
     */
    boolean setText(String head, String key, String value, long ttlMillis, boolean ifAbsent, List<String> indexKeys);

    /**
     * The plain value at {@code head + key} decoded by {@code decoder}, or {@code null} when missing,
     * expired, not a plain value, or when {@code decoder} answers null (it cannot decode the bytes).
     * The decoder is given the stored array, which it must not modify.
     *
     * @param memoize keep the result in the entry, for this decoder (compared by reference), so that
     *     later reads of the same write answer it without decoding; only for results nobody can modify,
     *     since every reader then gets the same instance
     */
    <T> T getDecoded(String head, String key, Function<byte[], T> decoder, boolean memoize);
}
