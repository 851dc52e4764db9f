package io.brickworks.cache.redis;

import io.brickworks.cache.internal.KeyScope;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Index writes and listings, and fenced lock acquisitions, on a Redis Cluster, where a key and its
 * index sets (or a lock and its fencing counter) usually hash to different slots (on different
 * primaries), so no script and no transaction can cover them and a multi-key command would fail
 * with {@code CROSSSLOT}. Key names stay those of the original (no
 * hash tags: they would put a whole namespace on one primary); instead the writes are ordered so
 * that a crash between two of them never leaves a live key missing from an index it was written
 * with:
 *
 * <ol>
 * <li>every index is checked to be a set (or missing), so a bad index fails the call before
 *     anything is written, as on one server;</li>
 * <li>the key is added to every index, each index's expiry raised to at least the key's (one
 *     single-key script per index, all sent at once);</li>
 * <li>only then is the key itself written ({@code SET ... PX [NX]});</li>
 * <li>a set-if-absent that finds the key already there removes the key again from the indices to
 *     which step 2 newly added it.</li>
 * </ol>
 *
 * <p>After each write, two random members of each index are checked and removed if their key is
 * gone (as one server's write script does), so an index that is written often and never listed
 * stays near its live size.
 *
 * <p>A listing reads the index ({@code SMEMBERS}), drops the members that are not the index's own
 * ({@link KeyScope#isOwnMember}: another tenant's, namespace's or application's keys), checks every other member with its own
 * {@code EXISTS} (all sent at once; the cluster connection routes each to its slot's primary and
 * pipelines them per node, so the round trips do not grow with the index), returns the members
 * whose keys exist and removes the others with one {@code SREM}.
 *
 * <p>What is weaker than on one server, where each of these is one atomic script: a write that
 * fails half-way can leave the key in some of its indices while the key itself was not (re)written;
 * a listing that runs exactly while a dead member is being written again can remove it from the
 * index; and a set-if-absent that loses a race for the same key and index can remove the winner's
 * entry. Each of these leaves at most a key missing from a listing until it is next written; none
 * lists a key that does not exist.
 *
 * <p>A fenced lock acquisition takes the lock ({@code SET NX PX}), then advances the fencing
 * counter in its own slot ({@link RedisScripts#ADVANCE_FENCE}), then checks that the lock still holds
 * this owner's token; if it does not (the lock expired between the steps and may have been taken
 * by another owner, whose token may be lower), the call answers "not acquired" ({@code -1}), so a
 * token is returned only for an acquisition that no later one preceded: tokens of successful
 * acquisitions still increase in acquisition order. If drawing the token fails, the lock is
 * released again (only if it still holds this owner's token) and the failure reported.
 *
 * <p>When all the keys of a call do hash to one slot (for example with hash tags in the key
 * names), the atomic scripts of {@link ScriptedMultiKeyOps} are used instead.
 */
final class ClusterMultiKeyOps implements MultiKeyOps {

    private static final Function<String, Boolean> WAS_OK = reply -> reply != null;
    private static final Function<Long, Boolean> POSITIVE = n -> n != null && n > 0;
    private static final Long NOT_ACQUIRED = -1L;

    private final RedisChannel link;
    private final ScriptedMultiKeyOps sameSlot;

    ClusterMultiKeyOps(RedisChannel link) {
        this.link = link;
        this.sameSlot = new ScriptedMultiKeyOps(link, false);
    }

    private static <T> Function<T, T> same() {
        return x -> x;
    }

    @Override
    public CompletableFuture<Boolean> setWithIndices(String key, byte[] value, long ttlMillis, boolean ifAbsent,
                                                     List<String> indexKeys) {
        CompletableFuture<Boolean> stored = oneSlot(key, indexKeys)
                ? sameSlot.setWithIndices(key, value, ttlMillis, ifAbsent, indexKeys)
                : writeInOrder(key, value, ttlMillis, ifAbsent, indexKeys);
        return stored.thenCompose(done -> done
                ? pruneSome(indexKeys).handle((pruned, housekeepingFailed) -> true)
                : CompletableFuture.completedFuture(false));
    }

    /** Steps 1 to 4 of the class comment. */
    private CompletableFuture<Boolean> writeInOrder(String key, byte[] value, long ttlMillis, boolean ifAbsent,
                                                    List<String> indexKeys) {
        List<CompletableFuture<String>> types = new ArrayList<>(indexKeys.size());
        for (String index : indexKeys) {
            types.add(link.call(c -> c.type(index), same()));
        }
        return allOf(types).thenCompose(checked -> {
            for (int i = 0; i < indexKeys.size(); i++) {
                String type = types.get(i).join();
                if (!"set".equals(type) && !"none".equals(type)) {
                    return CompletableFuture.failedFuture(link.faults().translate(new RedisCommandExecutionException(
                            "WRONGTYPE index " + indexKeys.get(i) + " holds a " + type + ", not a set")));
                }
            }
            return addToIndices(key, ttlMillis, indexKeys)
                    .thenCompose(added -> write(key, value, ttlMillis, ifAbsent)
                            .thenCompose(stored -> stored || !ifAbsent
                                    ? CompletableFuture.completedFuture(stored)
                                    : undo(key, indexKeys, added)));
        });
    }

    /** Step 2: the key into every index; returns, per index, whether the key was new there. */
    private CompletableFuture<List<Boolean>> addToIndices(String key, long ttlMillis, List<String> indexKeys) {
        byte[] ttl = RedisBackend.number(ttlMillis);
        byte[] member = key.getBytes(StandardCharsets.UTF_8);
        List<CompletableFuture<Boolean>> added = new ArrayList<>(indexKeys.size());
        for (String index : indexKeys) {
            String[] keys = {index};
            added.add(link.call(c -> RedisScripts.SET_ADD.<Long>run(c, keys, ttl, member), POSITIVE));
        }
        return allOf(added).thenApply(done -> added.stream().map(CompletableFuture::join).toList());
    }

    /** Step 3: the key itself. */
    private CompletableFuture<Boolean> write(String key, byte[] value, long ttlMillis, boolean ifAbsent) {
        SetArgs args = ifAbsent ? SetArgs.Builder.px(ttlMillis).nx() : SetArgs.Builder.px(ttlMillis);
        return link.call(c -> c.set(key, value, args), WAS_OK);
    }

    /** Step 4: a set-if-absent found the key; take it out of the indices this call added it to. */
    private CompletableFuture<Boolean> undo(String key, List<String> indexKeys, List<Boolean> added) {
        byte[] member = key.getBytes(StandardCharsets.UTF_8);
        List<CompletableFuture<Long>> removals = new ArrayList<>();
        for (int i = 0; i < indexKeys.size(); i++) {
            if (added.get(i)) {
                String index = indexKeys.get(i);
                removals.add(link.call(c -> c.srem(index, member), same()));
            }
        }
        return allOf(removals).thenApply(done -> false);
    }

    /**
     * After a write: checks two random members of each index and removes those whose key is gone,
     * as one server's write script does, so an index that is written often and never listed does
     * not fill with dead members. Housekeeping: its failures do not fail the write.
     */
    private CompletableFuture<Void> pruneSome(List<String> indexKeys) {
        List<CompletableFuture<List<String>>> checks = new ArrayList<>(indexKeys.size());
        for (String index : indexKeys) {
            checks.add(link.call(c -> c.srandmember(index, 2), same())
                    .thenCompose(sample -> aliveAfterPruning(index, strings(sample))));
        }
        return allOf(checks);
    }

    @Override
    public CompletableFuture<List<String>> indexMembers(String indexKey) {
        return link.call(c -> c.smembers(indexKey), same())
                .thenCompose(members -> aliveAfterPruning(indexKey, strings(members)));
    }

    /**
     * Of {@code members} of the index, those that are its own ({@link KeyScope#isOwnMember}) and whose
     * keys exist; removes the others from the index (a foreign member is never looked up).
     */
    private CompletableFuture<List<String>> aliveAfterPruning(String indexKey, List<String> members) {
        List<String> names = new ArrayList<>(members.size());
        List<byte[]> foreign = new ArrayList<>();
        for (String m : members) {
            if (KeyScope.isOwnMember(indexKey, m)) {
                names.add(m);
            } else {
                foreign.add(m.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (names.isEmpty()) {
            return removeThen(indexKey, foreign, List.of());
        }
        List<CompletableFuture<Boolean>> exists = new ArrayList<>(names.size());
        for (String name : names) {
            exists.add(link.call(c -> c.exists(name), POSITIVE));
        }
        return allOf(exists).thenCompose(checked -> {
            List<String> alive = new ArrayList<>(names.size());
            List<byte[]> dead = foreign;
            for (int i = 0; i < names.size(); i++) {
                if (exists.get(i).join()) {
                    alive.add(names.get(i));
                } else {
                    dead.add(names.get(i).getBytes(StandardCharsets.UTF_8));
                }
            }
            return removeThen(indexKey, dead, alive);
        });
    }

    /** Removes {@code gone} from the index (nothing when empty), then answers {@code alive}. */
    private CompletableFuture<List<String>> removeThen(String indexKey, List<byte[]> gone, List<String> alive) {
        if (gone.isEmpty()) {
            return CompletableFuture.completedFuture(alive);
        }
        byte[][] members = gone.toArray(new byte[0][]);
        return link.call(c -> c.srem(indexKey, members), same()).thenApply(removed -> alive);
    }

    @Override
    public CompletableFuture<Long> acquireWithFence(String key, byte[] owner, long lockTtlMillis, String fenceKey,
                                                    long fenceTtlMillis) {
        if (oneSlot(key, List.of(fenceKey))) {
            return sameSlot.acquireWithFence(key, owner, lockTtlMillis, fenceKey, fenceTtlMillis);
        }
        SetArgs args = SetArgs.Builder.px(lockTtlMillis).nx();
        String[] counter = {fenceKey};
        byte[] fenceTtl = RedisBackend.number(fenceTtlMillis);
        return link.call(c -> c.set(key, owner, args), WAS_OK).thenCompose(acquired -> {
            if (!acquired) {
                return CompletableFuture.completedFuture(NOT_ACQUIRED);
            }
            CompletableFuture<Long> token = link.call(c -> RedisScripts.ADVANCE_FENCE.<Long>run(c, counter, fenceTtl),
                    same());
            return token
                    .thenCompose(t -> link.call(c -> c.get(key), same())
                            .thenApply(holder -> Arrays.equals(holder, owner) ? t : NOT_ACQUIRED))
                    .exceptionallyCompose(failure -> releaseThenFail(key, owner, failure));
        });
    }

    /** Drawing the token failed after the lock was taken: give the lock back (if still ours), then report. */
    private CompletableFuture<Long> releaseThenFail(String key, byte[] owner, Throwable failure) {
        String[] keys = {key};
        return link.call(c -> RedisScripts.COMPARE_AND_DELETE.<Boolean>run(c, keys, owner), same())
                .handle((released, ignored) -> null)
                .thenCompose(x -> CompletableFuture.failedFuture(RedisFaults.unwrap(failure)));
    }

    /**
     * A planted bug for the negative control of the partial-failure test: when set, a bulk read is one
     * Lettuce cluster {@code MGET} of every key (which Lettuce splits by slot itself, but fails as a
     * whole when one node fails), instead of one {@code MGET} per slot with its own outcome.
     */
    volatile boolean failTogether;

    /**
     * The keys grouped by slot ({@code MGET} of keys in different slots is a {@code CROSSSLOT} error),
     * one {@code MGET} per slot and per {@link #MGET_CHUNK} keys, all sent at once: the cluster connection
     * routes each to its slot's primary and pipelines them per node, so the nodes answer in parallel.
     * A node that fails fails the keys of its slots only.
     */
    @Override
    public List<CompletableFuture<byte[]>> getMany(List<String> keys) {
        List<CompletableFuture<byte[]>> values = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            values.add(new CompletableFuture<>());
        }
        if (failTogether) {
            List<Integer> all = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                all.add(i);
            }
            MultiKeyOps.mget(link, keys, all, values);
            return values;
        }
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            List<Integer> slot = bySlot.computeIfAbsent(SlotHash.getSlot(keys.get(i)), s -> new ArrayList<>());
            slot.add(i);
            if (slot.size() == MGET_CHUNK) {
                MultiKeyOps.mget(link, keys, slot, values);
                bySlot.remove(SlotHash.getSlot(keys.get(i)));
            }
        }
        for (List<Integer> slot : bySlot.values()) {
            MultiKeyOps.mget(link, keys, slot, values);
        }
        return values;
    }

    private static boolean oneSlot(String key, List<String> indexKeys) {
        int slot = SlotHash.getSlot(key);
        for (String index : indexKeys) {
            if (SlotHash.getSlot(index) != slot) {
                return false;
            }
        }
        return true;
    }

    private static List<String> strings(Collection<byte[]> members) {
        List<String> out = new ArrayList<>(members.size());
        for (byte[] m : members) {
            out.add(new String(m, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static CompletableFuture<Void> allOf(List<? extends CompletableFuture<?>> futures) {
        return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]));
    }
}
