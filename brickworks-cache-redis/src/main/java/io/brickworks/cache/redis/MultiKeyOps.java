package io.brickworks.cache.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The operations that touch several keys together (a key and its index sets, a lock and its
 * fencing counter), which are written differently for one server ({@link ScriptedMultiKeyOps}: one
 * atomic Lua script each) and for a Redis Cluster, where those keys usually live in different
 * slots ({@link ClusterMultiKeyOps}: ordered single-slot steps, never a {@code CROSSSLOT} command).
 * They have the contracts of {@link io.brickworks.cache.spi.CacheBackend#set} with indices,
 * {@link io.brickworks.cache.spi.CacheBackend#indexMembers} and
 * {@link io.brickworks.cache.spi.CacheBackend#acquireWithFence}.
 */
interface MultiKeyOps {

    /** Stores {@code key} and adds it to every index in {@code indexKeys} (not empty). */
    CompletableFuture<Boolean> setWithIndices(String key, byte[] value, long ttlMillis, boolean ifAbsent,
                                              List<String> indexKeys);

    /** The members of the index whose keys exist, after removing those whose keys do not. */
    CompletableFuture<List<String>> indexMembers(String indexKey);

    /** Takes the lock at {@code key} and draws a fencing token from {@code fenceKey}, or returns -1. */
    CompletableFuture<Long> acquireWithFence(String key, byte[] owner, long lockTtlMillis, String fenceKey,
                                             long fenceTtlMillis);

    /**
     * The values of {@code keys} ({@link io.brickworks.cache.spi.CacheBackend#getMany}): {@code MGET}
     * in chunks of at most {@link #MGET_CHUNK} keys, on a cluster one chunk never spanning two slots.
     */
    List<CompletableFuture<byte[]>> getMany(List<String> keys);

    /** The most keys one {@code MGET} reads: big enough to amortise the round trip, small enough not to hold up the server. */
    int MGET_CHUNK = 1000;

    /**
     * Reads {@code keys[positions]} with one {@code MGET} and completes {@code values[positions]} with
     * the answers ({@code null} for a missing or non-string key), or fails them all with its failure.
     */
    static void mget(RedisChannel link, List<String> keys, List<Integer> positions,
                     List<CompletableFuture<byte[]>> values) {
        String[] chunk = new String[positions.size()];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = keys.get(positions.get(i));
        }
        link.<List<io.lettuce.core.KeyValue<String, byte[]>>, List<io.lettuce.core.KeyValue<String, byte[]>>>call(
                c -> c.mget(chunk), reply -> reply).whenComplete((reply, error) -> {
                    for (int i = 0; i < chunk.length; i++) {
                        CompletableFuture<byte[]> value = values.get(positions.get(i));
                        if (error != null) {
                            value.completeExceptionally(error);
                        } else {
                            io.lettuce.core.KeyValue<String, byte[]> kv = reply.get(i);
                            value.complete(kv.hasValue() ? kv.getValue() : null);
                        }
                    }
                });
    }
}
