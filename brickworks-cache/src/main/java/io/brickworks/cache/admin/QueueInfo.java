package io.brickworks.cache.admin;

/**
 * A queue that has items.
 *
 * @param tenant the queue's tenant
 * @param namespace the queue's namespace
 * @param name the queue's name
 * @param length how many items it holds
 */
public record QueueInfo(String tenant, String namespace, String name, long length) {
}
