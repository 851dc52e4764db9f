package io.brickworks.cache.queue;

/**
 * What {@link ReliableQueue#push(String, PushOptions)} answers.
 *
 * @param id the new item's identity; for a duplicate, the identity of the item that holds the job id
 *     (empty when a job acknowledged within the deduplication window holds it)
 * @param duplicate whether nothing was added because the job id was held
 */
public record Pushed(String id, boolean duplicate) {
}
