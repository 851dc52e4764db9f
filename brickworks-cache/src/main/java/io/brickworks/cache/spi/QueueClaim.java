package io.brickworks.cache.spi;

/**
 * What {@link CacheBackend#queueClaim} answers: a delivered item, or none with the time until the
 * next item becomes due (a delayed item, or a delivery whose visibility timeout ends).
 *
 * @param id the item's identity, stable across attempts; {@code null} when nothing was delivered
 * @param item the item; {@code null} when nothing was delivered
 * @param attempt the delivery's number, 1 for the first; the receipt that acknowledges it
 * @param nextDueMillis when nothing was delivered: milliseconds until something becomes due, or
 *     {@code -1} when nothing is scheduled; {@code 0} otherwise
 * @param held when nothing was delivered: whether the queue held it back (paused, at its concurrency
 *     limit or its rate limit), so that the receiver must look again after {@code nextDueMillis}
 *     instead of waiting for a push
 */
public record QueueClaim(String id, byte[] item, long attempt, long nextDueMillis, boolean held) {

    /** Nothing delivered; something becomes due in {@code nextDueMillis} ({@code -1}: nothing scheduled). */
    public static QueueClaim none(long nextDueMillis) {
        return new QueueClaim(null, null, 0, nextDueMillis, false);
    }

    /** Nothing delivered because the queue held it back; look again in {@code retryMillis} (at least 1). */
    public static QueueClaim heldBack(long retryMillis) {
        return new QueueClaim(null, null, 0, Math.max(1, retryMillis), true);
    }

    /** A delivery. */
    public static QueueClaim of(String id, byte[] item, long attempt) {
        return new QueueClaim(id, item, attempt, 0, false);
    }

    /** Whether an item was delivered. */
    public boolean delivered() {
        return id != null;
    }
}
