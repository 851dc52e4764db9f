package io.brickworks.cache.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The two operations that touch a key and its index sets together, which are written differently
 * for one server ({@link ScriptedIndexes}: one Lua script each) and for a Redis Cluster, where a key
 * and its indices usually live in different slots ({@link ClusterIndexes}: ordered writes).
 * Both have the contract of {@link io.brickworks.cache.spi.CacheBackend#set} with indices and of
 * {@link io.brickworks.cache.spi.CacheBackend#indexMembers}.
 */
interface IndexStore {

    /** Stores {@code key} and adds it to every index in {@code indexKeys} (not empty). */
    CompletableFuture<Boolean> setWithIndices(String key, byte[] value, long ttlMillis, boolean ifAbsent,
                                              List<String> indexKeys);

    /** The members of the index whose keys exist, after removing those whose keys do not. */
    CompletableFuture<List<String>> indexMembers(String indexKey);
}
