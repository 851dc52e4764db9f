package io.brickworks.cache.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Index writes and listings as one Lua script each ({@link RedisScripts#SET_WITH_INDICES},
 * {@link RedisScripts#INDEX_MEMBERS}): atomic on one server. On a cluster this is used only when
 * the key and all its indices hash to the same slot.
 */
final class ScriptedIndexes implements IndexStore {

    private static final byte[] IF_ABSENT = {'1'};
    private static final byte[] ALWAYS = {'0'};
    private static final Function<Boolean, Boolean> SAME = b -> b;
    private static final Function<List<Object>, List<String>> STRING_LIST = ScriptedIndexes::strings;

    private final CommandLink link;

    ScriptedIndexes(CommandLink link) {
        this.link = link;
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
        return link.call(c -> RedisScripts.SET_WITH_INDICES.<Boolean>run(c, keys, value, ttl, mode), SAME);
    }

    @Override
    public CompletableFuture<List<String>> indexMembers(String indexKey) {
        String[] keys = {indexKey};
        return link.call(c -> RedisScripts.INDEX_MEMBERS.<List<Object>>run(c, keys), STRING_LIST);
    }

    private static List<String> strings(List<Object> members) {
        List<String> out = new ArrayList<>(members.size());
        for (Object m : members) {
            out.add(new String((byte[]) m, StandardCharsets.UTF_8));
        }
        return out;
    }
}
