package io.brickworks.cache.queue;

import java.util.List;

/**
 * An item that used up its attempts.
 *
 * @param id its identity (the one its deliveries had)
 * @param item the item
 * @param attempts how many times it was delivered
 * @param history one line per failed attempt ({@code attempt N: reason}), oldest first
 */
public record DeadLetter(String id, String item, long attempts, List<String> history) {
}
