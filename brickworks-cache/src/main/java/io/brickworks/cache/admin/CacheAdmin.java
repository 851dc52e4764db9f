package io.brickworks.cache.admin;

import io.brickworks.cache.spi.KeyInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * What an operator needs to see into a cache's store, and to delete a tenant: from
 * {@link io.brickworks.cache.BrickworksCache#admin()}. Every listing walks the keys under the cache's
 * prefix under both of a tenant's heads, {@code <prefix>:<tenant>:} and <code>&#123;&lt;prefix&gt;:&lt;tenant&gt;:</code>
 * (the records of acknowledged queues, whatever their suffix), with Redis {@code SCAN} in steps of
 * {@value #STEP} keys, never {@code KEYS}; on a Cluster every primary in turn. So it works on keys written by any process with the same prefix, the Python
 * original included, and costs one pass over those keys (plus one round trip per listed queue,
 * index and lock). A listing is not a snapshot: keys written or deleted during the walk may or may
 * not be in it.
 *
 * <p>Scope: {@code cache.admin()} covers every tenant; {@link #tenant(String)} narrows it to one.
 * Instances are immutable and thread-safe. Futures fail with
 * {@link io.brickworks.cache.spi.CacheBackendException} when the store cannot be reached.
 */
public interface CacheAdmin {

    /** How many keys one step of a walk asks for. */
    int STEP = 500;

    /**
     * This admin narrowed to {@code tenant}: listings and purges see only its keys.
     *
     * @throws IllegalArgumentException if {@code tenant} is null, empty or has a colon
     */
    CacheAdmin tenant(String tenant);

    /**
     * This admin reporting, after each step of a walk, how many keys the walk has seen so far (for a
     * progress line). {@code progress} runs on the thread that completes the step.
     */
    CacheAdmin onProgress(LongConsumer progress);

    /**
     * What the key {@code key} of {@code namespace} of {@code tenant} holds: its type, size and time
     * to live ({@link KeyInfo#MISSING} when it does not exist). Ignores any {@link #tenant(String)}
     * narrowing: the tenant is the argument.
     *
     * @throws IllegalArgumentException if {@code tenant}, {@code namespace} or {@code key} is not a valid name
     */
    CompletableFuture<KeyInfo> inspect(String tenant, String namespace, String key);

    /**
     * Releases the lock {@code name} of {@code tenant} if {@code owner} still holds it (a stuck lock
     * whose owner is gone): one atomic compare-and-delete, so a lock taken again meanwhile by someone
     * else stays. The fencing counter stays, so tokens keep rising. Ignores any
     * {@link #tenant(String)} narrowing.
     *
     * @return whether the lock was released
     * @throws IllegalArgumentException if {@code tenant} or {@code name} is not a valid name, or {@code owner} is null or empty
     */
    CompletableFuture<Boolean> releaseLock(String tenant, String name, String owner);

    /** The tenants that have keys, by tenant name, each with its number of keys per namespace. */
    CompletableFuture<List<TenantUsage>> tenants();

    /** The locks held now (by any process), by tenant and name. */
    CompletableFuture<List<LockInfo>> locks();

    /**
     * The queues that have items in any state, by tenant, namespace and name: plain queues (lists)
     * and acknowledged queues, with their waiting, delayed, in-flight and dead items. Each queue's
     * counts are read in one round trip per record, not atomically together.
     */
    CompletableFuture<List<QueueInfo>> queues();

    /**
     * The state of the acknowledged queue {@code name} of {@code tenant} in {@code namespace}, read in
     * one atomic step (no walk): waiting, delayed (with the time until each is due), in flight (with
     * consumer, attempt, age and progress) and dead letters (with their reasons), at most
     * {@code limit} of each listed, and
     * whether it is paused. A queue that was never used reads as empty. Ignores any
     * {@link #tenant(String)} narrowing: the tenant is the argument.
     *
     * @throws IllegalArgumentException if {@code tenant}, {@code namespace} or {@code name} is bad, the
     *     queue's key has a brace, or {@code limit} is less than 1
     */
    CompletableFuture<io.brickworks.cache.queue.QueueStatus> queue(String tenant, String namespace, String name,
                                                                  int limit);

    /**
     * Pauses ({@code paused}) or resumes an acknowledged queue for every receiver of every process
     * ({@link io.brickworks.cache.queue.ReliableQueue#pause()}).
     *
     * @return whether that changed the queue
     * @throws IllegalArgumentException if {@code tenant}, {@code namespace} or {@code name} is bad, or
     *     the queue's key has a brace
     */
    CompletableFuture<Boolean> pauseQueue(String tenant, String namespace, String name, boolean paused);

    /** The indices, by tenant, namespace and name, with their number of members. */
    CompletableFuture<List<IndexInfo>> indices();

    /** The function caches, by tenant and function name, with their number of cached results. */
    CompletableFuture<List<FunctionInfo>> functions();

    /**
     * Deletes every key of {@code tenant} (every namespace, entries, lists, sets, indices, function
     * results and the records of acknowledged queues: payloads in flight, delayed and dead, their
     * attempts and history; the lock namespace, with the locks and their fencing counters, only when
     * {@code includeLocks}), or with {@code dryRun} only counts them. Ignores any
     * {@link #tenant(String)} narrowing: the tenant is the argument. Names are deleted exactly as the
     * walk found them, also names that are not valid UTF-8. Keys are deleted a step at a time as the
     * walk finds them, so a failure part way leaves the rest; running it again finishes the job. After
     * the deletes a second walk counts what is left ({@link PurgeReport#remaining()}): keys that could
     * not be deleted, or were written during the purge.
     *
     * @return what was (or, in a dry run, would be) deleted
     * @throws IllegalArgumentException if {@code tenant} is null, empty or has a colon
     */
    CompletableFuture<PurgeReport> purgeTenant(String tenant, boolean includeLocks, boolean dryRun);
}
