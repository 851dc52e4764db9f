package io.brickworks.cache.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Index writes, listings and fenced lock acquisitions as one Lua script each
 * ({@link RedisScripts#SET_WITH_INDICES}, {@link RedisScripts#INDEX_MEMBERS},
 * {@link RedisScripts#ACQUIRE_WITH_FENCE}): atomic on one server. On a cluster they are used only
 * when all the keys of a call hash to the same slot.
 */
final class ScriptedMultiKeyOps implements MultiKeyOps {

    private static final byte[] IF_ABSENT = {'1'};
    private static final byte[] ALWAYS = {'0'};
    private static final Function<List<Object>, List<String>> STRING_LIST = ScriptedMultiKeyOps::strings;

    private static final byte[] PRUNE = {'1'};
    private static final byte[] NO_PRUNE = {'0'};

    private final RedisChannel link;
    private final byte[] prune;

    /**
     * @param pruneOnWrite let each indexed write check two random members of each index and remove
     *     those whose key is gone (one server: yes; a cluster, where those members may live on other
     *     nodes: no, {@link ClusterMultiKeyOps} prunes them itself)
     */
    ScriptedMultiKeyOps(RedisChannel link, boolean pruneOnWrite) {
        this.link = link;
        this.prune = pruneOnWrite ? PRUNE : NO_PRUNE;
    }

    @Override
    public CompletableFuture<Boolean> setWithIndices(String key, byte[] value, long ttlMillis, boolean ifAbsent,
                                                     List<String> indexKeys) {
        String[] keys = new String[indexKeys.size() + 1];
        keys[0] = key;
        for (int i = 0; i < indexKeys.size(); i++) {
            keys[i + 1] = indexKeys.get(i);
        }
        byte[] ttl = RedisBackend.number(ttlMillis);
        byte[] mode = ifAbsent ? IF_ABSENT : ALWAYS;
        return link.call(c -> RedisScripts.SET_WITH_INDICES.<Boolean>run(c, keys, value, ttl, mode, prune),
                Function.identity());
    }

    @Override
    public CompletableFuture<List<String>> indexMembers(String indexKey) {
        String[] keys = {indexKey};
        return link.call(c -> RedisScripts.INDEX_MEMBERS.<List<Object>>run(c, keys), STRING_LIST);
    }

    @Override
    public CompletableFuture<Long> acquireWithFence(String key, byte[] owner, long lockTtlMillis, String fenceKey,
                                                    long fenceTtlMillis) {
        String[] keys = {key, fenceKey};
        byte[] lockTtl = RedisBackend.number(lockTtlMillis);
        byte[] fenceTtl = RedisBackend.number(fenceTtlMillis);
        return link.call(c -> RedisScripts.ACQUIRE_WITH_FENCE.<Long>run(c, keys, owner, lockTtl, fenceTtl),
                Function.identity());
    }

    /** One {@code MGET} per {@link #MGET_CHUNK} keys, all sent at once. */
    @Override
    public List<CompletableFuture<byte[]>> getMany(List<String> keys) {
        List<CompletableFuture<byte[]>> values = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            values.add(new CompletableFuture<>());
        }
        List<Integer> chunk = new ArrayList<>(Math.min(keys.size(), MGET_CHUNK));
        for (int i = 0; i < keys.size(); i++) {
            chunk.add(i);
            if (chunk.size() == MGET_CHUNK || i == keys.size() - 1) {
                MultiKeyOps.mget(link, keys, chunk, values);
                chunk = new ArrayList<>(Math.min(keys.size() - i - 1, MGET_CHUNK));
            }
        }
        return values;
    }

    private static List<String> strings(List<Object> members) {
        List<String> out = new ArrayList<>(members.size());
        for (Object m : members) {
            out.add(new String((byte[]) m, StandardCharsets.UTF_8));
        }
        return out;
    }
}
