package io.brickworks.cache.admin;

/**
 * An index.
 *
 * @param tenant the index's tenant
 * @param namespace the namespace of the keys it holds
 * @param name the index's name
 * @param size how many members it holds (members whose key has gone are pruned by writes and listings)
 */
public record IndexInfo(String tenant, String namespace, String name, long size) {
}
