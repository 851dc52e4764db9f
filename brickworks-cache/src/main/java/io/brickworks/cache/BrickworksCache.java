package io.brickworks.cache;

import io.brickworks.cache.internal.BlockingView;
import io.brickworks.cache.internal.CacheRuntime;
import io.brickworks.cache.internal.SharedCache;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.metrics.CacheMetrics;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import io.brickworks.cache.lock.internal.LockWork;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.CacheBackendException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * One async cache for services that run as several replicas: key-value entries, FIFO queues, sets,
 * secondary indices, distributed locks and a function cache, scoped to a tenant, on the embedded
 * memory backend or on Redis.
 *
 * <h2>Keys</h2>
 * Every entry lives at {@code <prefix>:<tenant>:<namespace>:<key>}, by default
 * {@code brickworks:public:default:<key>}, the same key schema as the Python original, so that
 * Java and Python services on one Redis share entries, queues, sets, indices and locks. Keys,
 * namespaces, index names and tenants must not be null or empty and must not contain a colon.
 *
 * <h2>Tenancy</h2>
 * Every method works in one tenant, resolved once when the method is called:
 * <ul>
 * <li>on a view from {@link #forTenant(String)} or {@link #masterTenant()}, the view's tenant;</li>
 * <li>otherwise the tenant bound with {@link Tenants#bind(String)} (or given by the configured
 *     {@link TenantResolver});</li>
 * <li>with multi-tenancy off (the default), the master tenant ({@code public}) even when a tenant is
 *     bound (the first such call logs a warning, once per cache: see {@link Tenants#bind(String)});
 *     with multi-tenancy on and no tenant bound, the method fails with {@link IllegalStateException}.</li>
 * </ul>
 *
 * <h2>Contract of every method</h2>
 * <ul>
 * <li>Arguments are checked before anything is sent or stored: a bad one throws
 *     {@link IllegalArgumentException} (naming the argument and the value, with control characters
 *     escaped and a long value cut) from the call itself, not through the future, and nothing is
 *     written.</li>
 * <li>Names (keys, namespaces, indices, queues, sets, locks, tenants, function names) are non-empty,
 *     have no colon and are well-formed Unicode (a lone surrogate is rejected: one name, one key,
 *     on every backend); set members are well-formed too.</li>
 * <li>Reserved names: a key, queue, set or function name may not start with {@code __index__.} (the storage
 *     of indices); the namespace {@code __locks__} is reached only through the lock methods; the
 *     namespace {@code FUNC_CACHE} may be read, listed and deleted from, but is written only by the
 *     function cache.</li>
 * <li>Durations (expiries, TTLs, waits) are at most 36,500 days (about 100 years).</li>
 * <li>An index reaches only keys under its own {@code <prefix>:<tenant>:<namespace>:}: a member of
 *     an index set that is not (planted below the API, for example) is never listed, checked or
 *     deleted, and is removed from the index.</li>
 * <li>The returned future fails with {@link CacheBackendException} when the backend cannot carry
 *     out the command (for Redis: unreachable or no answer within the command timeout; the message
 *     names the address, never the password).</li>
 * <li>Futures may complete on a backend I/O thread: do not block inside their continuations (use the
 *     {@code *Async} variants of {@link CompletableFuture} with an executor of yours to move work
 *     elsewhere).</li>
 * <li>Instances are thread-safe.</li>
 * </ul>
 *
 * <h2>Threads: where code runs</h2>
 * The cache never runs application code on a backend I/O thread and never starts a thread per task.
 * <ul>
 * <li>Cached functions: an async function on the calling thread when the miss is known there, else
 *     on the function's executor, by default the cache's; a synchronous function on the calling
 *     thread (see {@link io.brickworks.cache.function.CachedFunction}).</li>
 * <li>{@code withLock} work and the {@code onLost} callback: on the {@link LockOptions#withExecutor
 *     lock's executor}, by default the cache's.</li>
 * <li>Timed work (lock renewal, waiting for a lock or for another process's function result): on
 *     the cache's one scheduler thread {@code brickworks-scheduler-<n>}, which only sends commands.</li>
 * <li>The cache's executor is the one given to {@link Builder#executor}, or by default a pool the
 *     cache owns: one daemon thread per CPU, at least two, named {@code brickworks-worker-<n>-<i>},
 *     started on first use and stopped by {@link #close()}.</li>
 * </ul>
 *
 * <h2>Lifecycle</h2>
 * A cache built by {@link #builder()} owns its backend: {@link #close()} releases its connections
 * and threads. Views ({@link #forTenant}, {@link #masterTenant}) share the backend of the cache they
 * came from; closing a view does nothing. The process-wide {@link #shared()} cache is closed by a
 * shutdown hook.
 */
public interface BrickworksCache extends AutoCloseable {

    /** The namespace used when a call names none. */
    String DEFAULT_NAMESPACE = "default";

    /** The TTL of {@link #attemptDistributedLock(String)}: 10 seconds, as in the original. */
    Duration DEFAULT_LOCK_TTL = Duration.ofSeconds(10);

    // ------------------------------------------------------------------ key-value

    /**
     * Stores a string (as UTF-8) under {@code key} in namespace {@code default}, expiring after the
     * default expiry (7 days). Overwrites any value. Returns {@code true}.
     */
    CompletableFuture<Boolean> setKey(String key, String value);

    /**
     * Stores a string (as UTF-8) under {@code key} with the given options. Writing the key and adding
     * it to its indices is one atomic step; each index's expiry is raised to at least the key's.
     *
     * @return whether the value was stored: always {@code true} unless {@link SetOptions#ifAbsent()}
     *     found an existing key, which is then left as it was
     * @throws IllegalArgumentException if {@code key} is not a valid name (see the class comment) or
     *     starts with {@code __index__.}, or {@code value} or {@code options} is null
     */
    CompletableFuture<Boolean> setKey(String key, String value, SetOptions options);

    /** Stores bytes under {@code key} in namespace {@code default} with the default expiry. */
    CompletableFuture<Boolean> setKey(String key, byte[] value);

    /** Stores bytes under {@code key} with the given options; as {@link #setKey(String, String, SetOptions)}. */
    CompletableFuture<Boolean> setKey(String key, byte[] value, SetOptions options);

    /** The string under {@code key} in namespace {@code default}, or {@code null} if missing or expired. */
    CompletableFuture<String> getKey(String key);

    /**
     * The string under {@code key} in {@code namespace}, or {@code null} if missing or expired.
     * Bytes that are not valid UTF-8 are decoded with replacement characters; read them with
     * {@link #getKeyBytes(String, String)}.
     */
    CompletableFuture<String> getKey(String key, String namespace);

    /** The bytes under {@code key} in namespace {@code default}, or {@code null}. */
    CompletableFuture<byte[]> getKeyBytes(String key);

    /** The bytes under {@code key} in {@code namespace}, or {@code null} if missing or expired. */
    CompletableFuture<byte[]> getKeyBytes(String key, String namespace);

    /**
     * The bytes under {@code key} in {@code namespace} turned into a value by {@code decoder}, or
     * {@code null} if missing or expired (a decoder that answers {@code null} reads as a miss).
     *
     * <p>Where the read is answered in this process (the memory backend, the near cache), the
     * decoder's result is kept with that entry and handed to every later read of the same stored value
     * that passes the same decoder (compared by reference), until the entry changes, expires or is
     * dropped; it is never handed out after that. A read from the store decodes each time. So the
     * result is shared by readers: it must be something nobody modifies (an immutable value, or a
     * holder that gives each caller its own copy). The decoder is given the stored array itself, which
     * it must not modify; it runs on the calling thread or the backend's, and what it throws fails the
     * returned future.
     *
     * @throws IllegalArgumentException if {@code key} or {@code namespace} is malformed, or {@code decoder} is null
     */
    <T> CompletableFuture<T> getKeyDecoded(String key, String namespace, java.util.function.Function<byte[], T> decoder);

    /** Deletes {@code key} in namespace {@code default}; returns whether it existed. */
    CompletableFuture<Boolean> deleteKey(String key);

    /**
     * Deletes {@code key} in {@code namespace}; returns whether it existed. The key disappears from
     * every index listing at once.
     */
    CompletableFuture<Boolean> deleteKey(String key, String namespace);

    /** Sets the expiry of {@code key} in namespace {@code default} to the default expiry from now. */
    CompletableFuture<Boolean> refreshKey(String key);

    /**
     * Sets the expiry of {@code key} in {@code namespace} to {@code expire} from now (it may shorten
     * or lengthen it).
     *
     * @return whether the key existed; a missing key is not created
     */
    CompletableFuture<Boolean> refreshKey(String key, String namespace, Duration expire);

    // ------------------------------------------------------------------ bulk

    /** {@link #getMany(Collection, String)} in namespace {@code default}. */
    CompletableFuture<BulkResult<String>> getMany(Collection<String> keys);

    /**
     * The strings under {@code keys} in {@code namespace}, in one call: what {@link #getKey(String, String)}
     * answers for each key, in the result's {@linkplain BulkResult#values() values} when found (a missing,
     * expired or non-string key is left out) or in its {@linkplain BulkResult#failures() failures} with
     * why. Duplicate keys are read once.
     *
     * <p>How it reads: each key from this process first when the backend keeps it here (the memory
     * backend; the near cache, which then serves what it holds and fetches only the rest), the rest
     * from the store in one go: Redis {@code MGET} (in chunks of at most 1,000 keys; on a Cluster one
     * per slot, the slots' commands sent in parallel to their nodes, never a {@code CROSSSLOT} error).
     * Not atomic: each key is read as {@link #getKey(String, String)} reads it, at some moment during
     * the call.
     *
     * <p>Partial failure: the future completes, never exceptionally, once every key has its outcome
     * (each within about the command timeout); keys whose node cannot be reached are reported in
     * {@link BulkResult#failures()} while the others succeed ({@link BulkResult#orThrow()} turns
     * any failure into an exception).
     *
     * @throws IllegalArgumentException if {@code keys} is null, or any of its keys is not a valid key (the
     *     message names {@code keys[i]}, the position in iteration order, and the bad value), or
     *     {@code namespace} is not a valid namespace; nothing is read
     */
    CompletableFuture<BulkResult<String>> getMany(Collection<String> keys, String namespace);

    /** {@link #getManyBytes(Collection, String)} in namespace {@code default}. */
    CompletableFuture<BulkResult<byte[]>> getManyBytes(Collection<String> keys);

    /** The bytes under {@code keys} in {@code namespace}, in one call; as {@link #getMany(Collection, String)}. */
    CompletableFuture<BulkResult<byte[]>> getManyBytes(Collection<String> keys, String namespace);

    /** {@link #setMany(Map, SetOptions)} with the default options (namespace {@code default}, default expiry). */
    CompletableFuture<BulkResult<Boolean>> setMany(Map<String, String> entries);

    /**
     * Stores every entry (a string as UTF-8 under its key) with the same options, in one call: for
     * each entry what {@link #setKey(String, String, SetOptions)} does (the entry and its indices in
     * one atomic step, the expiry, set-if-absent), all sent at once (one pipeline per connection; on
     * a Cluster each entry goes to its slot's node, the nodes in parallel). Not atomic across entries.
     *
     * <p>Bad input rejects the whole call before anything is written: a null map or options, a bad key
     * or a null value of any entry (the message names {@code entries[i]}, its position in iteration
     * order, and the bad value). The result's values say per key whether it was stored; keys whose
     * write failed (for example their node cannot be reached, or an index holds another type) are
     * in its failures, while the others are written.
     */
    CompletableFuture<BulkResult<Boolean>> setMany(Map<String, String> entries, SetOptions options);

    /** {@link #setManyBytes(Map, SetOptions)} with the default options. */
    CompletableFuture<BulkResult<Boolean>> setManyBytes(Map<String, byte[]> entries);

    /** Stores bytes under every key of {@code entries} (each array copied at the call); as {@link #setMany(Map, SetOptions)}. */
    CompletableFuture<BulkResult<Boolean>> setManyBytes(Map<String, byte[]> entries, SetOptions options);

    /** {@link #deleteMany(Collection, String)} in namespace {@code default}. */
    CompletableFuture<BulkResult<Boolean>> deleteMany(Collection<String> keys);

    /**
     * Deletes every key of {@code keys} in {@code namespace}, in one call: for each key what
     * {@link #deleteKey(String, String)} does, all sent at once; the result's values say per key
     * whether it existed, its failures which keys could not be deleted and why. Bad input rejects
     * the whole call as in {@link #getMany(Collection, String)}; nothing is deleted.
     */
    CompletableFuture<BulkResult<Boolean>> deleteMany(Collection<String> keys, String namespace);

    // ------------------------------------------------------------------ queues

    /** Appends {@code item} to the FIFO queue {@code queue} in namespace {@code default}; returns its new length. */
    CompletableFuture<Long> pushToQueue(String queue, String item);

    /**
     * Appends {@code item} to the FIFO queue {@code queue} in {@code namespace} (Redis
     * {@code RPUSH}); returns the queue's new length. Queues do not expire.
     */
    CompletableFuture<Long> pushToQueue(String queue, String item, String namespace);

    /** Removes and returns the oldest item of {@code queue} in namespace {@code default}, or {@code null}. */
    CompletableFuture<String> popFromQueue(String queue);

    /**
     * Removes and returns the oldest item of {@code queue} in {@code namespace} (Redis {@code LPOP}),
     * or {@code null} when the queue is empty. Each item is handed to exactly one caller.
     */
    CompletableFuture<String> popFromQueue(String queue, String namespace);

    /** {@link #popFromQueue(String, String, Duration)} in namespace {@code default}. */
    CompletableFuture<String> popFromQueue(String queue, Duration wait);

    /**
     * Removes and returns the oldest item of {@code queue} in {@code namespace}, waiting up to
     * {@code wait} for one to be pushed; completes with {@code null} when the wait ends first. No
     * thread waits: on Redis it is {@code BLPOP} (in slices of at most a second) on one of a small,
     * bounded pool of connections kept for waiting, so the shared connection is never blocked; the
     * memory backend wakes waiting callers on push. Each item is handed to exactly one caller.
     * Completing the returned future yourself, in any way ({@code cancel}, {@code orTimeout},
     * {@code complete}, {@code completeExceptionally}), ends the wait; an item taken at that moment
     * is either in the future (your completion lost the race) or put back at the head of the queue,
     * never dropped. A {@code BLPOP} already running on Redis ends within its slice; an item it takes
     * meanwhile is put back. Like {@link #popFromQueue(String, String)}, an item is lost if
     * the caller dies after receiving it: use {@link #reliableQueue} for work that must not be lost.
     *
     * @throws IllegalArgumentException if {@code queue} or {@code namespace} is bad, or {@code wait}
     *     is null, negative or longer than 36,500 days
     */
    CompletableFuture<String> popFromQueue(String queue, String namespace, Duration wait);

    /** {@link #reliableQueue(String, QueueOptions)} with {@link QueueOptions#DEFAULTS}. */
    ReliableQueue reliableQueue(String queue);

    /**
     * An acknowledged (at-least-once) queue over the queue {@code queue} in the options' namespace,
     * bound to the tenant current now: receiving moves an item to an in-flight record until it is
     * acknowledged; an item whose consumer dies is delivered again; after its attempts it becomes a
     * dead letter. It uses the same list as {@link #pushToQueue}/{@link #popFromQueue} (the Python
     * original's), plus keys {@code {<list key>}:<suffix>} in the list's Redis Cluster slot. See
     * {@link ReliableQueue} and {@code docs/queues.md}.
     *
     * @throws IllegalArgumentException if {@code queue} is null, empty or has a colon, the queue's
     *     key would contain a brace, or {@code options} is null
     */
    ReliableQueue reliableQueue(String queue, QueueOptions options);

    // ------------------------------------------------------------------ sets

    /** Adds {@code values} to the set {@code key} in namespace {@code default}; returns how many were new. */
    CompletableFuture<Long> addToSet(String key, Collection<String> values);

    /**
     * Adds {@code values} to the set {@code key} in {@code namespace} and raises the set's expiry to at
     * least {@code expire} (never lowering it); returns how many members were new.
     *
     * @throws IllegalArgumentException if {@code values} is null, empty or holds a null
     */
    CompletableFuture<Long> addToSet(String key, Collection<String> values, String namespace, Duration expire);

    /** Removes {@code values} from the set {@code key} in namespace {@code default}; returns how many were removed. */
    CompletableFuture<Long> removeFromSet(String key, Collection<String> values);

    /** Removes {@code values} from the set {@code key} in {@code namespace}; returns how many were removed. */
    CompletableFuture<Long> removeFromSet(String key, Collection<String> values, String namespace);

    /** The members of the set {@code key} in namespace {@code default}; empty if it does not exist. */
    CompletableFuture<Set<String>> getSetMembers(String key);

    /** The members of the set {@code key} in {@code namespace}; empty if it does not exist or expired. */
    CompletableFuture<Set<String>> getSetMembers(String key, String namespace);

    /** Whether {@code value} is a member of the set {@code key} in namespace {@code default}. */
    CompletableFuture<Boolean> isSetMember(String key, String value);

    /** Whether {@code value} is a member of the set {@code key} in {@code namespace}. */
    CompletableFuture<Boolean> isSetMember(String key, String value, String namespace);

    // ------------------------------------------------------------------ indices

    /** The keys of namespace {@code default} that were written with index {@code index} and still exist. */
    CompletableFuture<List<String>> listKeysByIndex(String index);

    /**
     * The plain keys (the last segment) of {@code namespace} that were written with index
     * {@code index} and still exist, in no particular order. Members whose key was deleted or expired
     * are removed from the index as a side effect. Costs a constant number of round trips whatever the
     * index size.
     */
    CompletableFuture<List<String>> listKeysByIndex(String index, String namespace);

    /** Deletes every key of index {@code index} in namespace {@code default}, and the index; returns how many keys existed. */
    CompletableFuture<Long> deleteKeysByIndex(String index);

    /**
     * Deletes every key written with index {@code index} in {@code namespace}, and then the index
     * itself (bulk invalidation); returns how many of the keys existed.
     */
    CompletableFuture<Long> deleteKeysByIndex(String index, String namespace);

    // ------------------------------------------------------------------ function cache

    /**
     * The function cache of this cache: memoizes functions under stable names in namespace
     * {@code FUNC_CACHE}, in this view's tenant (the tenant current at each call for the root cache),
     * with single flight within the process and across replicas. See
     * {@link io.brickworks.cache.function.FunctionCache}.
     */
    io.brickworks.cache.function.FunctionCache functions();

    // ------------------------------------------------------------------ locks

    /** {@link #attemptDistributedLock(String, Duration)} with the default TTL of 10 seconds. */
    CompletableFuture<Boolean> attemptDistributedLock(String name);

    /**
     * Tries once to take the lock {@code name} for {@code ttl}; returns whether this cache instance
     * now holds it. The lock lives at key {@code name} in namespace {@code __locks__} (as in the
     * original) and disappears after {@code ttl} unless released first. Its value is an owner token
     * unique to this cache instance, so only this instance can release it. It is the same lock as
     * {@link #tryLock}'s: the two exclude each other. It is one {@code SET NX PX}, as in the original,
     * and draws no fencing token (its holder has none to present; see {@code docs/locks.md}).
     *
     * @throws IllegalArgumentException if {@code name} is bad or {@code ttl} is not positive
     */
    CompletableFuture<Boolean> attemptDistributedLock(String name, Duration ttl);

    /**
     * Releases the lock {@code name} if this cache instance holds it, atomically (compare and
     * delete). Unlike the original, a lock held by another instance is left in place.
     *
     * @return whether a lock held by this instance was released
     */
    CompletableFuture<Boolean> releaseDistributedLock(String name);

    /**
     * Tries once to take the lock {@code name} for {@code ttl}, for a new {@link LockHandle} with its own
     * owner token. Taking the lock and drawing its fencing token are one atomic step, so each new holder
     * of the lock gets a greater token than every earlier holder. The lock is the same key as
     * {@link #attemptDistributedLock}'s (and the Python original's): all of them exclude each other. It
     * expires after {@code ttl} unless the handle extends or releases it; the handle is not renewed.
     *
     * <pre>{@code
     * cache.tryLock("nightly-report", Duration.ofMinutes(5)).thenAccept(held -> held.ifPresent(lock -> {
     *     try (lock) {
     *         report.write(lock.fencingToken());
     *     }
     * }));
     * }</pre>
     *
     * @return a future of the handle, or empty if another owner holds the lock
     * @throws IllegalArgumentException if {@code name} is null, empty or has a colon, or {@code ttl}
     *     is null or shorter than 1 ms
     */
    CompletableFuture<Optional<LockHandle>> tryLock(String name, Duration ttl);

    /**
     * Takes the lock {@code name} for {@code ttl} as {@link #tryLock}, waiting up to {@code maxWait}
     * while another owner holds it. No thread waits: retries are scheduled with exponential backoff
     * (from 5 ms up to a quarter of the TTL, at most 1 s) and random jitter, so that waiting replicas
     * neither spin nor flood the store; there is a last attempt at the deadline. Cancelling the
     * returned future stops the retries. {@code maxWait} of zero tries once.
     *
     * @return a future of the handle, or empty if the lock was still held by another owner at the deadline
     * @throws IllegalArgumentException if {@code name} is bad, {@code ttl} is null or shorter than 1 ms,
     *     or {@code maxWait} is null or negative
     */
    CompletableFuture<Optional<LockHandle>> lock(String name, Duration ttl, Duration maxWait);

    /**
     * {@link #withLock(String, LockOptions, Function)} with {@link LockOptions#of(Duration) LockOptions.of(ttl)}:
     * try once, renew every third of the TTL, release when the work ends.
     */
    <T> CompletableFuture<LockResult<T>> withLock(String name, Duration ttl,
                                                  Function<? super LockHandle, ? extends CompletionStage<T>> work);

    /**
     * Runs {@code work} only if the lock {@code name} is taken (waiting up to the options' maxWait),
     * keeps it while the work runs, and gives it up when the work's stage completes, normally or not.
     * <ul>
     * <li>The work is called with the lock's handle (for its fencing token) on the options'
     *     {@link LockOptions#withExecutor executor}, by default the cache's ({@link Builder#executor}),
     *     never on a backend I/O thread; it returns a stage that completes when the work is done. It
     *     must not be null. An executor that rejects the work fails the future with
     *     {@link IllegalStateException}, and the lock is given back.</li>
     * <li>While it runs, the lock is renewed to the full TTL every {@link LockOptions#renewEvery()}, by the
     *     cache's scheduler thread, owner-checked.</li>
     * <li>The lock is lost if a renewal finds it expired or held by another owner, if a renewal cannot
     *     reach the store, if this cache is closed, or if the final release finds it no longer held.
     *     Renewal then stops, the options' {@code onLost} callback is called once (so the work can
     *     stop), and the result's status is {@link LockResult.Status#LOST}.</li>
     * <li>When the work ends the lock is released (owner-checked), or, with
     *     {@link LockOptions#lockAtLeastFor()}, left to expire when that minimum has passed since the
     *     acquisition.</li>
     * <li>Cancelling the returned future while the lock is awaited stops waiting and the work never runs;
     *     once the work has started, cancelling does not stop it (use the callback or your own signal).</li>
     * </ul>
     *
     * <pre>{@code
     * cache.withLock("send-invoices", LockOptions.of(Duration.ofSeconds(30)).withOnLost(h -> stop.set(true)),
     *         lock -> invoices.sendPending(stop, lock.fencingToken()))
     *     .thenAccept(result -> {
     *         if (result.lost()) {
     *             log.warn("another replica may have sent invoices at the same time");
     *         }
     *     });
     * }</pre>
     *
     * @return a future of the result: {@link LockResult.Status#NOT_ACQUIRED} without running the work,
     *     or the work's value with {@link LockResult.Status#COMPLETED} or {@link LockResult.Status#LOST}.
     *     If the work fails, the future fails with its exception after the lock was given up (with a
     *     suppressed {@link IllegalStateException} if the lock had been lost). It fails with
     *     {@link CacheBackendException} if the store cannot be reached to take the lock, or, with
     *     {@link LockOptions#withSyncedReplicas synced replicas}, if fewer replicas acknowledged the
     *     acquisition in time (the lock is then released before the future fails, and the work did
     *     not run).
     * @throws IllegalArgumentException if {@code name} is bad or {@code options} or {@code work} is null
     */
    <T> CompletableFuture<LockResult<T>> withLock(String name, LockOptions options,
                                                  Function<? super LockHandle, ? extends CompletionStage<T>> work);

    /**
     * {@link #withLock(String, LockOptions, Runnable)} with {@link LockOptions#of(Duration) LockOptions.of(ttl)}.
     *
     * <pre>{@code
     * cache.withLock("send-invoices", Duration.ofSeconds(30), () -> invoices.sendPending());
     * }</pre>
     */
    default CompletableFuture<LockResult<Void>> withLock(String name, Duration ttl, Runnable work) {
        return withLock(name, ttl, LockWork.of(work));
    }

    /**
     * {@link #withLock(String, LockOptions, Function)} for synchronous work without a value: the work runs
     * on the thread that would call the async work function, with the lock held and renewed, and the
     * lock is given up when it returns or throws. The result's value is {@code null}; if the work throws,
     * the future fails with that exception after the lock was given up.
     *
     * @throws IllegalArgumentException if {@code name} is bad or {@code options} or {@code work} is null
     */
    default CompletableFuture<LockResult<Void>> withLock(String name, LockOptions options, Runnable work) {
        return withLock(name, options, LockWork.of(work));
    }

    /** {@link #withLock(String, LockOptions, Callable)} with {@link LockOptions#of(Duration) LockOptions.of(ttl)}. */
    default <T> CompletableFuture<LockResult<T>> withLock(String name, Duration ttl, Callable<? extends T> work) {
        return withLock(name, ttl, LockWork.of(work));
    }

    /**
     * {@link #withLock(String, LockOptions, Function)} for synchronous work with a value: the work runs on
     * the thread that would call the async work function, with the lock held and renewed; its return
     * value is the result's value. If it throws (a checked exception too), the future fails with that
     * exception after the lock was given up.
     *
     * @throws IllegalArgumentException if {@code name} is bad or {@code options} or {@code work} is null
     */
    default <T> CompletableFuture<LockResult<T>> withLock(String name, LockOptions options, Callable<? extends T> work) {
        return withLock(name, options, LockWork.of(work));
    }

    // ------------------------------------------------------------------ blocking

    /**
     * The blocking view of this cache: every operation, waiting (at most the command timeout) for its
     * result, with plain values and unwrapped exceptions; see {@link BlockingBrickworksCache}. Views of
     * a tenant have one too ({@code cache.forTenant("acme").blocking()}).
     */
    default BlockingBrickworksCache blocking() {
        return new BlockingView(this);
    }

    // ------------------------------------------------------------------ tenancy

    /**
     * A view of this cache bound to {@code tenant}: every call on it works in that tenant, whatever is
     * bound to the calling thread. The view shares this cache's backend.
     *
     * @throws IllegalArgumentException if {@code tenant} is null, empty or has a colon
     */
    BrickworksCache forTenant(String tenant);

    /** A view of this cache bound to the master tenant, for entries shared by all tenants. */
    BrickworksCache masterTenant();

    /** The tenant this view is bound to, or empty when it resolves the tenant per call. */
    Optional<String> boundTenant();

    /** The tenant a call made now, on this thread, would use. */
    String currentTenant();

    /** The settings this cache was built with. */
    CacheSettings settings();

    // ------------------------------------------------------------------ operations

    /**
     * A real round trip to the backend (Redis {@code PING}; the memory backend answers at once);
     * completes with how long it took, measured on this process's monotonic clock.
     *
     * @return the round trip time; fails with {@link CacheBackendException} when the backend cannot
     *     be reached or gives no answer within the command timeout
     * @throws IllegalStateException if the cache is closed
     */
    CompletableFuture<Duration> ping();

    /**
     * The counters of the near cache of this cache's backend now (the same for every view), or empty
     * when it keeps none (the memory backend, Redis with {@code nearCache} off). Never blocks.
     *
     * @throws IllegalStateException if the cache is closed
     */
    java.util.Optional<io.brickworks.cache.metrics.NearCacheStats> nearCacheStats();

    /**
     * The admin API over every tenant of this cache's backend (also a view's: the admin API is never
     * tenant-scoped by the view; use {@link io.brickworks.cache.admin.CacheAdmin#tenant(String)}).
     * It reads and deletes keys written by any process that uses the same prefix, the Python
     * original included.
     */
    io.brickworks.cache.admin.CacheAdmin admin();

    /**
     * Sends the events of this cache (every view of it, its locks, cached functions and backend) to
     * {@code metrics} from now on, replacing the hook bound before; {@link CacheMetrics#NONE} unbinds.
     * Cached functions built before are reported to the new hook at once. The
     * {@code brickworks-micrometer} module calls this; applications usually do not.
     *
     * @throws IllegalArgumentException if {@code metrics} is null
     */
    void bindMetrics(CacheMetrics metrics);

    /**
     * Closes this cache's backend and releases its connections and threads, if this cache owns them.
     * Calls made after closing fail. Views do nothing on close. Idempotent.
     */
    @Override
    void close();

    // ------------------------------------------------------------------ creation

    /** A builder for a cache with its own backend. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * The process-wide cache, built on first use from the environment ({@link CacheSettings#fromEnvironment()}),
     * the Java form of the original's {@code from brickworks.core.cache import cache}. It is closed
     * by a shutdown hook; {@link #close()} on it is ignored.
     */
    static BrickworksCache shared() {
        return SharedCache.get();
    }

    /** Builds a cache. Not thread-safe; a builder may build several independent caches. */
    final class Builder {
        private CacheSettings settings;
        private TenantResolver tenantResolver = TenantResolver.bound();
        private CacheBackend backend;
        private Executor executor;

        private Builder() {
        }

        /** The settings to use; by default {@link CacheSettings#fromEnvironment()}. */
        public Builder settings(CacheSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Where the current tenant comes from; by default {@link Tenants#bind(String) the bound tenant}. */
        public Builder tenantResolver(TenantResolver resolver) {
            this.tenantResolver = Objects.requireNonNull(resolver, "tenantResolver");
            return this;
        }

        /**
         * A backend to use instead of the one the settings choose. The cache takes ownership and
         * closes it on {@link BrickworksCache#close()}.
         */
        public Builder backend(CacheBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * Where the cache runs application code: cached functions (unless a function names its own
         * executor, see {@link io.brickworks.cache.function.CachedFunctionBuilder#executor}), the
         * work of {@code withLock} and the {@code onLost} callback (unless the {@link LockOptions}
         * name one). The cache never runs application code on a backend I/O thread, and never starts
         * a thread per task.
         *
         * <p>By default the cache owns a pool of one daemon thread per CPU, at least two, named
         * {@code brickworks-worker-<n>-<i>}, with an unbounded queue: created with all its threads
         * the first time a feature that needs it is used ({@code functions()}, {@code lock},
         * {@code withLock}), and shut down when the cache closes (tasks already queued still run).
         * It is meant for code that does not block: async functions and lock work that start their
         * work and return a stage. Give an executor sized for the job when that code blocks (a
         * blocking JDBC call inside a cached function, say), or to carry a context of your own.
         * An executor given here is never shut down by the cache; {@link java.util.concurrent.ForkJoinPool#commonPool()}
         * may be given and is then used as it is (the cache hands it tasks with
         * {@link Executor#execute}, which never turns into a thread per task).
         *
         * @throws IllegalArgumentException if {@code executor} is null
         */
        public Builder executor(Executor executor) {
            if (executor == null) {
                throw new IllegalArgumentException("executor must not be null");
            }
            this.executor = executor;
            return this;
        }

        /**
         * Builds the cache, creating its backend (which, for Redis, connects).
         *
         * @throws CacheBackendException if the backend cannot be created or reached
         * @throws IllegalStateException if Redis is asked for and brickworks-cache-redis is not on the class path
         */
        public BrickworksCache build() {
            CacheSettings s = settings != null ? settings : CacheSettings.fromEnvironment();
            return CacheRuntime.open(s, tenantResolver, backend, executor);
        }
    }
}
