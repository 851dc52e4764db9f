package io.brickworks.cache.spi;

/**
 * What a receiver asks of {@link CacheBackend#queueClaim}.
 *
 * @param visibilityMillis how long the delivery stays invisible to other receivers (at least 1)
 * @param maxAttempts the most deliveries of an item (at least 1)
 * @param receipt a token the caller made for this claim, unique and not guessable (random); only it
 *     acknowledges, returns or extends the delivery
 * @param consumer the receiver's name, kept with the delivery for the admin view
 * @param concurrencyLimit at most this many items of the queue in flight over all receivers (0: no limit)
 * @param ratePerSecond at most this many deliveries of the queue per one-second window (0: no limit)
 */
public record QueueClaimRequest(long visibilityMillis, long maxAttempts, String receipt, String consumer,
                                int concurrencyLimit, int ratePerSecond) {
}
