package io.brickworks.cache.spi;

/**
 * What {@link CacheBackend#queuePush} answers.
 *
 * @param id the identity of the item pushed, or, for a duplicate, of the item that holds the job id
 *     (empty when the job id is held by a job acknowledged within the deduplication window)
 * @param duplicate whether the push was ignored because its job id was held
 */
public record QueuePushed(String id, boolean duplicate) {
}
