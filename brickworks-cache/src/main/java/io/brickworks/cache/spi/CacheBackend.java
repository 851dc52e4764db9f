package io.brickworks.cache.spi;

import io.brickworks.cache.metrics.CacheMetrics;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The storage primitives that a backend offers. Every feature of the cache (key-value, queues,
 * sets, indices, locks, the function cache) is written once above this interface; a backend only
 * stores bytes under keys.
 *
 * <p><b>Keys are already scoped.</b> Every {@code key} argument is a full key such as
 * {@code brickworks:public:default:user-1}, validated and built by the cache; a backend never
 * builds or checks keys itself. Values are opaque bytes, set members are strings.
 *
 * <p><b>Expiry</b> is given in milliseconds and is always positive; a backend must honour it to
 * the millisecond as far as its store allows (Redis {@code PX}).
 *
 * <p><b>Threading.</b> Implementations are thread-safe. Returned futures may complete on a
 * backend I/O thread; callers must not block inside their continuations. A future fails with a
 * {@link CacheBackendException} when the store cannot be reached or refuses the command.
 *
 * <p>Backends are created by a {@link CacheBackendFactory} and owned by the cache that created
 * them: {@link #close()} is called once, by that cache.
 */
public interface CacheBackend extends AutoCloseable {

    /** A human-readable description for messages and logs, never containing a password. */
    String describe();

    /**
     * The value of {@code key}, or {@code null} when it is missing, expired or not a plain value. The
     * array may be the backend's own: callers must not modify it (the cache copies it before handing
     * it to an application).
     */
    CompletableFuture<byte[]> get(String key);

    /**
     * The values of {@code keys}, as {@link #get} answers each: one future per key, in the order of
     * {@code keys}; a failure fails the futures of the keys it concerns and no others (on a Redis
     * Cluster, the keys of a node that cannot be reached), so that a bulk read reports failures key
     * by key. {@code keys} holds no duplicates. Every future completes within about the command
     * timeout.
     *
     * <p>The one bulk primitive of the SPI: bulk writes and deletes are the single-key {@link #set}
     * and {@link #delete} sent all at once (a connection pipelines them), but a read of many keys is
     * one command per group of keys where the store allows it. The default asks {@link #get} for each
     * key; Redis sends {@code MGET} (on a Cluster one per slot, the slots' commands in parallel, never
     * a {@code CROSSSLOT} command).
     */
    default List<CompletableFuture<byte[]>> getMany(List<String> keys) {
        List<CompletableFuture<byte[]>> values = new java.util.ArrayList<>(keys.size());
        for (String key : keys) {
            values.add(get(key));
        }
        return values;
    }

    /**
     * Stores {@code value} under {@code key} with the given expiry and, in the same atomic step,
     * adds {@code key} to every set in {@code indexKeys}, raising each index's expiry to at least
     * {@code ttlMillis} (never lowering it).
     *
     * @param ifAbsent store only if {@code key} does not exist (Redis {@code NX})
     * @param indexKeys full keys of the index sets; empty for no indices
     * @return whether the value was stored; {@code false} only when {@code ifAbsent} found a key
     */
    CompletableFuture<Boolean> set(String key, byte[] value, long ttlMillis, boolean ifAbsent,
                                   List<String> indexKeys);

    /** Deletes {@code key} of any type; returns whether it existed. */
    CompletableFuture<Boolean> delete(String key);

    /** Deletes every key of {@code keys} (of any type); returns how many existed. */
    CompletableFuture<Long> deleteAll(Collection<String> keys);

    /** Sets the expiry of an existing key to {@code ttlMillis} from now; returns whether the key existed. */
    CompletableFuture<Boolean> expire(String key, long ttlMillis);

    /**
     * The remaining time to live of {@code key} in milliseconds, {@code -1} when it has no expiry,
     * {@code -2} when it does not exist.
     */
    CompletableFuture<Long> ttlMillis(String key);

    /** Appends {@code value} to the list at {@code key} (Redis {@code RPUSH}); returns the new length. */
    CompletableFuture<Long> pushRight(String key, byte[] value);

    /** Removes and returns the first element of the list at {@code key} (Redis {@code LPOP}), or {@code null}. */
    CompletableFuture<byte[]> popLeft(String key);

    /**
     * Adds {@code members} to the set at {@code key} and raises its expiry to at least
     * {@code ttlMillis}; returns how many members were new.
     */
    CompletableFuture<Long> setAdd(String key, Collection<String> members, long ttlMillis);

    /** Removes {@code members} from the set at {@code key}; returns how many were removed. */
    CompletableFuture<Long> setRemove(String key, Collection<String> members);

    /** The members of the set at {@code key}; empty when it does not exist. */
    CompletableFuture<Set<String>> setMembers(String key);

    /** Whether {@code member} is in the set at {@code key}. */
    CompletableFuture<Boolean> setIsMember(String key, String member);

    /**
     * The members of the index set at {@code indexKey} whose keys still exist, after removing the
     * members whose keys do not. Costs a constant number of round trips whatever the index size.
     *
     * <p>Only the index's own members are followed ({@code KeyScope.isOwnMember}: keys under the
     * index's {@code <prefix>:<tenant>:<namespace>:} whose last segment is a name that is not an
     * index); any other member is neither looked up nor returned, and is removed from the set. A
     * backend that prunes members while writing applies the same rule.
     */
    CompletableFuture<List<String>> indexMembers(String indexKey);

    /**
     * Deletes {@code key} only if its value equals {@code expected}, atomically.
     *
     * @return whether it was deleted
     */
    CompletableFuture<Boolean> compareAndDelete(String key, byte[] expected);

    /**
     * Sets the expiry of {@code key} to {@code ttlMillis} from now only if its value equals
     * {@code expected}, atomically.
     *
     * @return whether the expiry was set
     */
    CompletableFuture<Boolean> compareAndExpire(String key, byte[] expected, long ttlMillis);

    /**
     * Takes a lock and draws its fencing token in one atomic step: if {@code key} does not exist,
     * stores {@code owner} under it with an expiry of {@code lockTtlMillis} (Redis {@code SET NX PX})
     * and, in the same step, advances the fencing counter at {@code fenceKey} and returns its new
     * value; if {@code key} exists (whoever holds it), changes nothing and returns {@code -1}.
     *
     * <p>The tokens drawn for one {@code fenceKey} strictly increase in the order the acquisitions
     * happen, and are always positive, even after the counter is lost (it expires {@code fenceTtlMillis}
     * after the last acquisition, or a Redis restart without persistence drops it) or overwritten, as
     * long as the store's clock does not go back. The Redis backend returns the previous token plus 1
     * and seeds a missing counter with {@code TIME} in microseconds, which exceeds every earlier token
     * (the previous seed plus one per acquisition); the in-process store returns
     * {@code max(previous + 1, microseconds since it started)}. The counter is set to expire after
     * {@code fenceTtlMillis} so that locks with one-off names leave nothing behind.
     *
     * <p>An in-process store must never evict a lock entry for size reasons (only its expiry or
     * release removes it); it may evict a fencing counter only if a new counter for that name still
     * starts above every token the evicted one handed out (the memory backend keeps the highest
     * token of every evicted counter as a floor for new ones).
     *
     * @return the fencing token, or {@code -1} when the lock is held
     */
    CompletableFuture<Long> acquireWithFence(String key, byte[] owner, long lockTtlMillis, String fenceKey,
                                             long fenceTtlMillis);

    /**
     * Atomically increments the counter at {@code key} (creating it at 0) and returns the new
     * value. Counters never expire.
     */
    CompletableFuture<Long> increment(String key);

    // ------------------------------------------------------------------ queues: waiting and acknowledged delivery
    // (see docs/queues.md; every method below is atomic: one script on Redis, one lock in memory)

    /**
     * Removes and returns the first element of the list at {@code key}, waiting up to
     * {@code waitMillis} (at least 1) for one to be pushed; completes with {@code null} when the wait
     * ends first. No caller thread is held, and a store with a shared connection must not block it
     * (Redis: {@code BLPOP} on a dedicated, pooled connection). Cancelling the returned future ends
     * the wait; an element taken at the moment of the cancellation is put back at the head of the list.
     */
    CompletableFuture<byte[]> popLeft(String key, long waitMillis);

    /**
     * Delivers one item of the queue, in one atomic step, in this order of preference: a delivery
     * whose visibility deadline has passed (delivered again, or, when it has had {@code maxAttempts}
     * deliveries, moved to the dead letters, which goes on with the next one); a delayed or returned
     * item that is due; the first raw item of {@code staging}, then of {@code list}, which gets a new
     * identity from {@code sequence}. The delivered item gets {@code attempt = previous + 1} and a
     * visibility deadline {@code visibilityMillis} from now (the store's clock).
     *
     * @return the delivery, or {@link QueueClaim#none} with the time until the next scheduled item
     */
    CompletableFuture<QueueClaim> queueClaim(QueueKeys keys, long visibilityMillis, long maxAttempts);

    /**
     * Waits up to {@code waitMillis} (at least 1) for a raw item to be pushed to {@code keys.list()},
     * or, on a store without a shared connection, for anything to become deliverable. Completes with
     * whether something arrived; the caller then calls {@link #queueClaim}. The store may end the wait
     * sooner (Redis waits at most about a second per call). An item moved by the wait (Redis:
     * {@code BLMOVE} from the list to {@code staging}) is never lost: the next claim of any receiver
     * takes it. Cancelling the returned future ends the wait.
     */
    CompletableFuture<Boolean> queueAwait(QueueKeys keys, long waitMillis);

    /**
     * Adds {@code item} with a new identity, to become deliverable {@code delayMillis} (0 or more)
     * from now by the store's clock.
     *
     * @return the item's identity
     */
    CompletableFuture<String> queuePushDelayed(QueueKeys keys, byte[] item, long delayMillis);

    /**
     * Acknowledges delivery {@code attempt} of item {@code id}: removes the item and its records, if
     * that delivery is still the item's latest and in flight.
     *
     * @return whether it was
     */
    CompletableFuture<Boolean> queueAck(QueueKeys keys, String id, long attempt);

    /**
     * Gives back delivery {@code attempt} of item {@code id}, if it is still the item's latest and in
     * flight: appends {@code attempt N: note} to its history; then, when {@code uncount} is set, the
     * delivery is not counted and the item is due at once; otherwise, when the item has had
     * {@code maxAttempts} deliveries it becomes a dead letter, else it is due in {@code delayMillis}.
     */
    CompletableFuture<QueueSettlement> queueRelease(QueueKeys keys, String id, long attempt, long delayMillis,
                                                    String note, long maxAttempts, boolean uncount);

    /**
     * Moves the visibility deadline of delivery {@code attempt} of item {@code id} to
     * {@code visibilityMillis} from now, if it is still the item's latest and in flight.
     *
     * @return whether it was
     */
    CompletableFuture<Boolean> queueExtend(QueueKeys keys, String id, long attempt, long visibilityMillis);

    /** The first {@code limit} dead letters, oldest first. */
    CompletableFuture<List<QueueDeadLetter>> queueDeadLetters(QueueKeys keys, int limit);

    /**
     * Makes the dead letters {@code ids} (all of them when empty) deliverable again at once, with their
     * attempts counted from zero and their history kept.
     *
     * @return how many were requeued
     */
    CompletableFuture<Long> queueRequeueDead(QueueKeys keys, List<String> ids);

    /** Deletes the dead letters {@code ids} (all of them when empty); returns how many were deleted. */
    CompletableFuture<Long> queuePurgeDead(QueueKeys keys, List<String> ids);
    /**
     * A real round trip to the store (Redis {@code PING}); completes when the answer has come. The
     * in-process store answers at once.
     */
    CompletableFuture<Void> ping();

    /**
     * Walks every key that starts with {@code prefix} (of any type, expired ones left out) in steps of
     * about {@code count} keys, handing each step's keys to {@code step} and asking for the next step
     * only when the stage it returns has completed. Redis walks with {@code SCAN MATCH ... COUNT}
     * (never {@code KEYS}), on a Cluster on every primary in turn; a key that exists for the whole
     * walk is handed over at least once (Redis may hand a key over twice), a key written or deleted
     * during the walk may or may not be. Completes when the walk is over, or fails with the first
     * failure of the store or of a stage.
     */
    CompletableFuture<Void> scan(String prefix, int count, Function<List<String>, ? extends CompletionStage<?>> step);

    /** The type, size and remaining time to live of {@code key}; {@link KeyInfo#MISSING} when it does not exist. */
    CompletableFuture<KeyInfo> inspect(String key);

    /**
     * The entries this backend keeps in this process, which the cache reads before asking the store:
     * the whole store for the memory backend, the near cache for Redis with it on. The default, and
     * any backend that keeps nothing here, is {@link LocalTier#none()}. The backend fills and empties
     * its tier; the cache only reads it. Must answer the same tier on every call.
     */
    default LocalTier localTier() {
        return LocalTier.none();
    }

    /**
     * Sends this backend's own events (commands, failures, reconnections) to {@code metrics} from
     * now on. Called by the cache that owns the backend; the default ignores them (a store without
     * commands, such as the in-process one, has none).
     */
    default void bindMetrics(CacheMetrics metrics) {
    }

    /** The counters of this backend's near cache now; empty when it keeps none (the default). */
    default java.util.Optional<io.brickworks.cache.metrics.NearCacheStats> nearCacheStats() {
        return java.util.Optional.empty();
    }

    /** Releases the connections and threads this backend created. Idempotent. */
    @Override
    void close();
}
