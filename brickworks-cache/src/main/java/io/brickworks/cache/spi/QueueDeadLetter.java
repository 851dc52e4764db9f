package io.brickworks.cache.spi;

/**
 * A dead letter as stored: an item that used up its attempts.
 *
 * @param id its identity
 * @param item the item
 * @param attempts how many times it was delivered
 * @param history one line per failed attempt ({@code attempt N: reason}), oldest first
 */
public record QueueDeadLetter(String id, byte[] item, long attempts, String history) {
}
