package io.brickworks.cache;

import io.brickworks.cache.function.FunctionCache;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.spi.CacheBackendException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The blocking view of a {@link BrickworksCache}, from {@link BrickworksCache#blocking()}: every
 * operation of the async API, waiting for its result and returning a plain value. For code that is
 * synchronous anyway (a scheduled job, a servlet, a test, a {@code main} method).
 *
 * <pre>{@code
 * BlockingBrickworksCache cache = BrickworksCache.shared().blocking();
 * cache.setKey("user-7", json);
 * String cached = cache.getKey("user-7");
 * LockResult<Void> sent = cache.withLock("send-invoices", Duration.ofSeconds(30), () -> invoices.sendPending());
 * }</pre>
 *
 * <h2>Contract of every method</h2>
 * Each method calls the async method of the same name and waits for its future; its return value,
 * atomicity, effect on expiry and tenant scope are those of the async method (see its javadoc).
 * <ul>
 * <li><b>Exceptions are the library's own, not wrapped</b>: {@link IllegalArgumentException} for a bad
 *     argument (nothing written), {@link IllegalStateException} (no tenant bound with multi-tenancy on,
 *     cache closed), {@link CacheBackendException} when the backend cannot carry out the command. No
 *     {@link CompletionException} or {@link java.util.concurrent.ExecutionException} reaches the caller,
 *     except one case: a checked exception thrown by the caller's own lock work is rethrown wrapped in
 *     a {@link CompletionException} (the methods declare no checked exceptions).</li>
 * <li><b>Bounded waits</b>: a method waits at most the command timeout
 *     ({@link CacheSettings#commandTimeout()}, {@code REDIS_COMMAND_TIMEOUT_MS}, 5 s by default), in
 *     total even when the operation takes several round trips; {@link #lock} waits at most its
 *     {@code maxWait} plus the command timeout. When the time is up, the future is cancelled and the
 *     method throws {@link CacheBackendException}. A bulk call ({@code getMany}, {@code setMany},
 *     {@code deleteMany}) waits at most twice the command timeout, so that the keys that timed out are
 *     reported in its result. {@code withLock} waits for the caller's work without a
 *     bound (the work is the caller's to bound).</li>
 * <li><b>Interrupts</b>: a thread interrupted while it waits cancels the future (a lock wait stops,
 *     a {@code withLock} that has not started its work never starts it), keeps its interrupt status
 *     and gets a {@link CacheBackendException} whose cause is the {@link InterruptedException}.</li>
 * <li><b>Virtual threads</b>: waiting parks the thread ({@link java.util.concurrent.CompletableFuture#get}
 *     with a timeout); the view holds no monitor while it waits, so a virtual thread is not pinned
 *     to its carrier.</li>
 * <li><b>Tenancy</b>: the tenant is resolved on the calling thread, as for the async call; the view of a
 *     tenant-bound cache ({@code cache.forTenant("acme").blocking()}) works in that tenant.</li>
 * </ul>
 * The view holds no state of its own besides the cache it waits on: it is thread-safe and cheap to
 * make, and closing is done on the cache ({@link #async()}{@code .close()}).
 */
public interface BlockingBrickworksCache {

    /** The async cache this view waits on. */
    BrickworksCache async();

    // ------------------------------------------------------------------ key-value

    /** {@link BrickworksCache#setKey(String, String)}, waiting for it. */
    boolean setKey(String key, String value);

    /** {@link BrickworksCache#setKey(String, String, SetOptions)}, waiting for it. */
    boolean setKey(String key, String value, SetOptions options);

    /** {@link BrickworksCache#setKey(String, byte[])}, waiting for it. */
    boolean setKey(String key, byte[] value);

    /** {@link BrickworksCache#setKey(String, byte[], SetOptions)}, waiting for it. */
    boolean setKey(String key, byte[] value, SetOptions options);

    /** {@link BrickworksCache#getKey(String)}: the string, or {@code null} if missing or expired. */
    String getKey(String key);

    /** {@link BrickworksCache#getKey(String, String)}: the string, or {@code null} if missing or expired. */
    String getKey(String key, String namespace);

    /** {@link BrickworksCache#getKeyBytes(String)}: the bytes, or {@code null} if missing or expired. */
    byte[] getKeyBytes(String key);

    /** {@link BrickworksCache#getKeyBytes(String, String)}: the bytes, or {@code null} if missing or expired. */
    byte[] getKeyBytes(String key, String namespace);

    /** {@link BrickworksCache#getKeyDecoded}: the decoded value (shared as that method says), or {@code null}. */
    <T> T getKeyDecoded(String key, String namespace, java.util.function.Function<byte[], T> decoder);

    /** {@link BrickworksCache#deleteKey(String)}: whether the key existed. */
    boolean deleteKey(String key);

    /** {@link BrickworksCache#deleteKey(String, String)}: whether the key existed. */
    boolean deleteKey(String key, String namespace);

    /** {@link BrickworksCache#refreshKey(String)}: whether the key existed. */
    boolean refreshKey(String key);

    /** {@link BrickworksCache#refreshKey(String, String, Duration)}: whether the key existed. */
    boolean refreshKey(String key, String namespace, Duration expire);

    // ------------------------------------------------------------------ bulk

    /** {@link BrickworksCache#getMany(Collection)}, waiting for it. */
    BulkResult<String> getMany(Collection<String> keys);

    /** {@link BrickworksCache#getMany(Collection, String)}, waiting for it; keys that failed are in the result's failures. */
    BulkResult<String> getMany(Collection<String> keys, String namespace);

    /** {@link BrickworksCache#getManyBytes(Collection)}, waiting for it. */
    BulkResult<byte[]> getManyBytes(Collection<String> keys);

    /** {@link BrickworksCache#getManyBytes(Collection, String)}, waiting for it. */
    BulkResult<byte[]> getManyBytes(Collection<String> keys, String namespace);

    /** {@link BrickworksCache#setMany(Map)}, waiting for it. */
    BulkResult<Boolean> setMany(Map<String, String> entries);

    /** {@link BrickworksCache#setMany(Map, SetOptions)}, waiting for it. */
    BulkResult<Boolean> setMany(Map<String, String> entries, SetOptions options);

    /** {@link BrickworksCache#setManyBytes(Map)}, waiting for it. */
    BulkResult<Boolean> setManyBytes(Map<String, byte[]> entries);

    /** {@link BrickworksCache#setManyBytes(Map, SetOptions)}, waiting for it. */
    BulkResult<Boolean> setManyBytes(Map<String, byte[]> entries, SetOptions options);

    /** {@link BrickworksCache#deleteMany(Collection)}, waiting for it. */
    BulkResult<Boolean> deleteMany(Collection<String> keys);

    /** {@link BrickworksCache#deleteMany(Collection, String)}, waiting for it. */
    BulkResult<Boolean> deleteMany(Collection<String> keys, String namespace);

    // ------------------------------------------------------------------ queues

    /** {@link BrickworksCache#pushToQueue(String, String)}: the queue's new length. */
    long pushToQueue(String queue, String item);

    /** {@link BrickworksCache#pushToQueue(String, String, String)}: the queue's new length. */
    long pushToQueue(String queue, String item, String namespace);

    /** {@link BrickworksCache#popFromQueue(String)}: the oldest item, or {@code null} when the queue is empty. */
    String popFromQueue(String queue);

    /** {@link BrickworksCache#popFromQueue(String, String)}: the oldest item, or {@code null} when the queue is empty. */
    String popFromQueue(String queue, String namespace);

    /**
     * {@link BrickworksCache#popFromQueue(String, Duration)}: the oldest item, or {@code null} when none
     * came within {@code wait}. Waits at most {@code wait} plus the command timeout.
     */
    String popFromQueue(String queue, Duration wait);

    /**
     * {@link BrickworksCache#popFromQueue(String, String, Duration)}: the oldest item, or {@code null} when
     * none came within {@code wait}. Waits at most {@code wait} plus the command timeout. On that
     * timeout, or when the thread is interrupted, the wait is cancelled and a
     * {@link io.brickworks.cache.spi.CacheBackendException} thrown, unless an item arrived first: then
     * it is returned (with the interrupt still set), so that no item is dropped.
     */
    String popFromQueue(String queue, String namespace, Duration wait);

    /**
     * The acknowledged queue of the async cache ({@link BrickworksCache#reliableQueue(String)}), the same
     * object: its receive, ack and worker methods return futures (a worker's handler is plain code already).
     */
    ReliableQueue reliableQueue(String queue);

    /** {@link BrickworksCache#reliableQueue(String, QueueOptions)}, the same object as the async cache's. */
    ReliableQueue reliableQueue(String queue, QueueOptions options);

    // ------------------------------------------------------------------ sets

    /** {@link BrickworksCache#addToSet(String, Collection)}: how many members were new. */
    long addToSet(String key, Collection<String> values);

    /** {@link BrickworksCache#addToSet(String, Collection, String, Duration)}: how many members were new. */
    long addToSet(String key, Collection<String> values, String namespace, Duration expire);

    /** {@link BrickworksCache#removeFromSet(String, Collection)}: how many members were removed. */
    long removeFromSet(String key, Collection<String> values);

    /** {@link BrickworksCache#removeFromSet(String, Collection, String)}: how many members were removed. */
    long removeFromSet(String key, Collection<String> values, String namespace);

    /** {@link BrickworksCache#getSetMembers(String)}: the members; empty if the set does not exist. */
    Set<String> getSetMembers(String key);

    /** {@link BrickworksCache#getSetMembers(String, String)}: the members; empty if the set does not exist. */
    Set<String> getSetMembers(String key, String namespace);

    /** {@link BrickworksCache#isSetMember(String, String)}. */
    boolean isSetMember(String key, String value);

    /** {@link BrickworksCache#isSetMember(String, String, String)}. */
    boolean isSetMember(String key, String value, String namespace);

    // ------------------------------------------------------------------ indices

    /** {@link BrickworksCache#listKeysByIndex(String)}: the live keys of the index. */
    List<String> listKeysByIndex(String index);

    /** {@link BrickworksCache#listKeysByIndex(String, String)}: the live keys of the index. */
    List<String> listKeysByIndex(String index, String namespace);

    /** {@link BrickworksCache#deleteKeysByIndex(String)}: how many of the keys existed. */
    long deleteKeysByIndex(String index);

    /** {@link BrickworksCache#deleteKeysByIndex(String, String)}: how many of the keys existed. */
    long deleteKeysByIndex(String index, String namespace);

    // ------------------------------------------------------------------ function cache

    /**
     * The function cache of the async cache ({@link BrickworksCache#functions()}), the same object: wrap a
     * synchronous function with {@code .sync(fn)} to call it without futures; {@code @Cached} proxies of
     * synchronous interfaces are synchronous already.
     */
    FunctionCache functions();

    /**
     * {@link FunctionCache#cacheClear(String)}: deletes every cached result of the function {@code name}
     * in the current tenant; returns how many entries were deleted.
     */
    long cacheClear(String name);

    // ------------------------------------------------------------------ operations

    /**
     * {@link BrickworksCache#ping()}: a real round trip to the store; returns how long it took.
     *
     * @throws io.brickworks.cache.spi.CacheBackendException when the store does not answer within the
     *     command timeout
     */
    Duration ping();

    /** The admin API of the async cache ({@link BrickworksCache#admin()}), the same object. */
    io.brickworks.cache.admin.CacheAdmin admin();

    // ------------------------------------------------------------------ locks

    /** {@link BrickworksCache#attemptDistributedLock(String)}: whether this cache instance now holds the lock. */
    boolean attemptDistributedLock(String name);

    /** {@link BrickworksCache#attemptDistributedLock(String, Duration)}: whether this cache instance now holds the lock. */
    boolean attemptDistributedLock(String name, Duration ttl);

    /** {@link BrickworksCache#releaseDistributedLock(String)}: whether a lock held by this instance was released. */
    boolean releaseDistributedLock(String name);

    /**
     * {@link BrickworksCache#tryLock(String, Duration)}: the handle, or empty if another owner holds the
     * lock. Release it with try-with-resources ({@link LockHandle#close()}).
     */
    Optional<LockHandle> tryLock(String name, Duration ttl);

    /**
     * {@link BrickworksCache#lock(String, Duration, Duration)}, waiting up to {@code maxWait} (plus the
     * command timeout) for the lock: the handle, or empty if it was still held by another owner at the
     * deadline.
     */
    Optional<LockHandle> lock(String name, Duration ttl, Duration maxWait);

    /** {@link LockHandle#isHeld()}: whether {@code handle}'s lock is still held by it, asked of the store. */
    boolean isHeld(LockHandle handle);

    /**
     * {@link LockHandle#extend(Duration)}: sets the remaining time of {@code handle}'s lock to {@code ttl}
     * if it still holds it; returns whether it did.
     */
    boolean extend(LockHandle handle, Duration ttl);

    /** {@link LockHandle#release()}: releases {@code handle}'s lock if it still holds it; returns whether it did. */
    boolean release(LockHandle handle);

    /**
     * {@link BrickworksCache#withLock(String, Duration, Function)}, waiting for the lock and for the work.
     *
     * @return the result: not acquired, or the work's value with whether the lock was kept throughout
     */
    <T> LockResult<T> withLock(String name, Duration ttl,
                               Function<? super LockHandle, ? extends CompletionStage<T>> work);

    /** {@link BrickworksCache#withLock(String, LockOptions, Function)}, waiting for the lock and for the work. */
    <T> LockResult<T> withLock(String name, LockOptions options,
                               Function<? super LockHandle, ? extends CompletionStage<T>> work);

    /**
     * {@link BrickworksCache#withLock(String, Duration, Runnable)}, waiting for the lock and for the work.
     * The work runs on the lock's work thread (as the async work function does), not on the caller's.
     */
    LockResult<Void> withLock(String name, Duration ttl, Runnable work);

    /** {@link BrickworksCache#withLock(String, LockOptions, Runnable)}, waiting for the lock and for the work. */
    LockResult<Void> withLock(String name, LockOptions options, Runnable work);

    /** {@link BrickworksCache#withLock(String, Duration, Callable)}, waiting for the lock and for the work. */
    <T> LockResult<T> withLock(String name, Duration ttl, Callable<? extends T> work);

    /** {@link BrickworksCache#withLock(String, LockOptions, Callable)}, waiting for the lock and for the work. */
    <T> LockResult<T> withLock(String name, LockOptions options, Callable<? extends T> work);

    // ------------------------------------------------------------------ tenancy

    /** The blocking view of {@link BrickworksCache#forTenant(String)}. */
    BlockingBrickworksCache forTenant(String tenant);

    /** The blocking view of {@link BrickworksCache#masterTenant()}. */
    BlockingBrickworksCache masterTenant();

    /** {@link BrickworksCache#boundTenant()}. */
    Optional<String> boundTenant();

    /** {@link BrickworksCache#currentTenant()}. */
    String currentTenant();

    /** {@link BrickworksCache#settings()}. */
    CacheSettings settings();
}
