package io.brickworks.cache.internal;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.BulkResult;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.lock.LockResult;
import io.brickworks.cache.lock.internal.LockTarget;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.queue.internal.DefaultReliableQueue;
import io.brickworks.cache.metrics.CacheMetrics;
import io.brickworks.cache.metrics.LockEvent;
import io.brickworks.cache.metrics.QueueEvent;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.LocalTier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The cache: argument checks, tenant resolution and key scoping, then one call to the backend.
 * An instance is either the root (resolving the tenant per call, owning the runtime) or a view bound
 * to one tenant.
 */
public final class DefaultBrickworksCache implements BrickworksCache {

    private final CacheRuntime runtime;
    private final CacheBackend backend;
    /** What the backend keeps in this process, read before the backend is asked ({@link LocalTier#none()} for nothing). */
    private final LocalTier tier;
    /** Non-null for a tenant-bound view. */
    private final KeyScope boundScope;
    private final KeyScope masterScope;
    private final boolean owner;

    DefaultBrickworksCache(CacheRuntime runtime, String boundTenant, boolean owner) {
        this.runtime = runtime;
        this.backend = runtime.backend();
        this.tier = backend.localTier();
        this.boundScope = boundTenant == null ? null : runtime.scope(boundTenant);
        this.masterScope = runtime.scope(runtime.settings().masterTenant());
        this.owner = owner;
    }

    /** What the views of this cache share. */
    public CacheRuntime runtime() {
        return runtime;
    }

    DefaultBrickworksCache unclosableView() {
        return new DefaultBrickworksCache(runtime, boundScope == null ? null : boundScope.tenant(), false);
    }

    /** The key scope of a call made now: resolved once, on the calling thread. */
    public KeyScope scope() {
        if (boundScope != null) {
            return boundScope;
        }
        if (!runtime.settings().multiTenancyEnabled()) {
            runtime.checkIgnoredTenant();
            return masterScope;
        }
        Optional<String> tenant = runtime.tenantResolver().currentTenant();
        if (tenant.isEmpty()) {
            throw new IllegalStateException("multi-tenancy is enabled but no tenant is bound to this call: bind one "
                    + "with Tenants.bind(tenant), or use cache.forTenant(tenant) or cache.masterTenant()");
        }
        String name = Names.check("tenant", tenant.get());
        return name.equals(masterScope.tenant()) ? masterScope : runtime.scope(name);
    }

    /** Throws {@link IllegalStateException} once the cache is closed. */
    public void checkOpen() {
        if (runtime.isClosed()) {
            throw new IllegalStateException("this cache is closed (" + backend.describe() + ")");
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private long expireMillis(Duration expire) {
        return (expire == null ? runtime.settings().defaultExpire() : expire).toMillis();
    }

    // ------------------------------------------------------------------ key-value

    @Override
    public CompletableFuture<Boolean> setKey(String key, String value) {
        return setKey(key, value, SetOptions.DEFAULTS);
    }

    @Override
    public CompletableFuture<Boolean> setKey(String key, String value, SetOptions options) {
        Names.checkNotNull("value", value);
        return write(key, utf8(value), options);
    }

    @Override
    public CompletableFuture<Boolean> setKey(String key, byte[] value) {
        return setKey(key, value, SetOptions.DEFAULTS);
    }

    @Override
    public CompletableFuture<Boolean> setKey(String key, byte[] value, SetOptions options) {
        Names.checkNotNull("value", value);
        return write(key, value.clone(), options);
    }

    private CompletableFuture<Boolean> write(String key, byte[] value, SetOptions options) {
        Names.checkKey("key", key);
        Names.checkNotNull("options", options);
        KeyScope scope = scope();
        checkOpen();
        String ns = options.namespace();
        runtime.metrics().keyWritten(scope.tenant(), ns);
        return backend.set(scope.key(ns, key), value, expireMillis(options.expire()), options.isIfAbsent(),
                indexKeys(scope, ns, options));
    }

    private static List<String> indexKeys(KeyScope scope, String namespace, SetOptions options) {
        if (options.indices().isEmpty()) {
            return List.of();
        }
        List<String> indexKeys = new ArrayList<>(options.indices().size());
        for (String index : options.indices()) {
            indexKeys.add(scope.indexKey(namespace, index));
        }
        return indexKeys;
    }

    @Override
    public CompletableFuture<String> getKey(String key) {
        return getKey(key, DEFAULT_NAMESPACE);
    }

    /*
     * The one read path: the local tier first (the memory backend's whole store, or the near cache in
     * front of Redis), then, unless the tier is the whole store, the backend.
     */

    @Override
    public CompletableFuture<String> getKey(String key, String namespace) {
        KeyScope scope = readScope(key, namespace);
        String head = scope.head(namespace);
        CompletableFuture<String> held = tier.getText(head, key);
        if (held != null || tier.isWholeStore()) {
            runtime.metrics().keyRead(scope.tenant(), namespace, held != null);
            return held != null ? held : SharedFuture.ofNull();
        }
        return readBackend(scope, namespace, head + key).thenApply(DefaultBrickworksCache::string);
    }

    @Override
    public CompletableFuture<byte[]> getKeyBytes(String key) {
        return getKeyBytes(key, DEFAULT_NAMESPACE);
    }

    @Override
    public CompletableFuture<byte[]> getKeyBytes(String key, String namespace) {
        return read(key, namespace, COPY, false);
    }

    @Override
    public <T> CompletableFuture<T> getKeyDecoded(String key, String namespace, Function<byte[], T> decoder) {
        Names.checkNotNull("decoder", decoder);
        return read(key, namespace, decoder, true);
    }

    /** A copy of stored bytes: what {@code getKeyBytes} hands out. */
    private static final Function<byte[], byte[]> COPY = byte[]::clone;

    /**
     * The read of bytes and decoded values: the local tier first (which keeps {@code decoder}'s result
     * with its entry when {@code memoize}), then, unless the tier is the whole store, the backend.
     */
    private <T> CompletableFuture<T> read(String key, String namespace, Function<byte[], T> decoder, boolean memoize) {
        KeyScope scope = readScope(key, namespace);
        String head = scope.head(namespace);
        T held;
        try {
            held = tier.getDecoded(head, key, decoder, memoize);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (held != null || tier.isWholeStore()) {
            runtime.metrics().keyRead(scope.tenant(), namespace, held != null);
            return CompletableFuture.completedFuture(held);
        }
        return readBackend(scope, namespace, head + key).thenApply(bytes -> bytes == null ? null : decoder.apply(bytes));
    }

    /** Checks a read's key and namespace (the default one needs no check) and that the cache is open; its scope. */
    @SuppressWarnings("StringEquality") // the constant itself is known good; any other string is checked
    private KeyScope readScope(String key, String namespace) {
        Names.checkKey("key", key);
        if (namespace != DEFAULT_NAMESPACE) {
            Names.checkReadableNamespace("namespace", namespace);
        }
        KeyScope scope = scope();
        checkOpen();
        return scope;
    }

    /** A read that the local tier could not answer: the backend's (shared) bytes, counted when they come. */
    private CompletableFuture<byte[]> readBackend(KeyScope scope, String namespace, String full) {
        CompletableFuture<byte[]> read = backend.get(full);
        CacheMetrics metrics = runtime.metrics();
        if (metrics == CacheMetrics.NONE) {
            return read;
        }
        String tenant = scope.tenant();
        return read.whenComplete((value, error) -> {
            if (error == null) {
                metrics.keyRead(tenant, namespace, value != null);
            }
        });
    }

    @Override
    public CompletableFuture<Boolean> deleteKey(String key) {
        return deleteKey(key, DEFAULT_NAMESPACE);
    }

    @Override
    public CompletableFuture<Boolean> deleteKey(String key, String namespace) {
        Names.checkKey("key", key);
        Names.checkReadableNamespace("namespace", namespace);
        KeyScope scope = scope();
        checkOpen();
        runtime.metrics().keyDeleted(scope.tenant(), namespace);
        return backend.delete(scope.key(namespace, key));
    }

    @Override
    public CompletableFuture<Boolean> refreshKey(String key) {
        return refreshKey(key, DEFAULT_NAMESPACE, runtime.settings().defaultExpire());
    }

    @Override
    public CompletableFuture<Boolean> refreshKey(String key, String namespace, Duration expire) {
        Names.checkKey("key", key);
        Names.checkNamespace("namespace", namespace);
        Names.checkExpire("expire", expire);
        KeyScope scope = scope();
        checkOpen();
        return backend.expire(scope.key(namespace, key), expire.toMillis());
    }

    // ------------------------------------------------------------------ bulk

    @Override
    public CompletableFuture<BulkResult<String>> getMany(Collection<String> keys) {
        return getMany(keys, DEFAULT_NAMESPACE);
    }

    @Override
    public CompletableFuture<BulkResult<String>> getMany(Collection<String> keys, String namespace) {
        return readMany(keys, namespace, true);
    }

    @Override
    public CompletableFuture<BulkResult<byte[]>> getManyBytes(Collection<String> keys) {
        return getManyBytes(keys, DEFAULT_NAMESPACE);
    }

    @Override
    public CompletableFuture<BulkResult<byte[]>> getManyBytes(Collection<String> keys, String namespace) {
        return readMany(keys, namespace, false);
    }

    /**
     * The one bulk read path, the single-key one for many keys: each key from the local tier when it
     * holds it, the rest from the backend in one {@link CacheBackend#getMany} call.
     */
    @SuppressWarnings("unchecked")
    private <V> CompletableFuture<BulkResult<V>> readMany(Collection<String> keys, String namespace, boolean text) {
        List<String> plain = checkKeys("keys", keys);
        Names.checkReadableNamespace("namespace", namespace);
        KeyScope scope = scope();
        checkOpen();
        String head = scope.head(namespace);
        CacheMetrics metrics = runtime.metrics();
        String tenant = scope.tenant();
        List<CompletableFuture<V>> outcomes = new ArrayList<>(plain.size());
        List<Integer> fetched = new ArrayList<>();
        List<String> fullKeys = new ArrayList<>();
        for (int i = 0; i < plain.size(); i++) {
            String key = plain.get(i);
            Object held = text ? tier.getText(head, key) : tier.getBytes(head, key);
            if (held != null || tier.isWholeStore()) {
                metrics.keyRead(tenant, namespace, held != null);
                outcomes.add(held == null ? CompletableFuture.completedFuture(null)
                        : text ? (CompletableFuture<V>) held : CompletableFuture.completedFuture((V) held));
            } else {
                outcomes.add(null);
                fetched.add(i);
                fullKeys.add(head + key);
            }
        }
        if (!fullKeys.isEmpty()) {
            List<CompletableFuture<byte[]>> read = backend.getMany(fullKeys);
            for (int j = 0; j < fetched.size(); j++) {
                outcomes.set(fetched.get(j), read.get(j).thenApply(bytes -> {
                    metrics.keyRead(tenant, namespace, bytes != null);
                    return bytes == null ? null : (V) (text ? string(bytes) : bytes.clone());
                }));
            }
        }
        return BulkOutcomes.collect(plain, outcomes, false);
    }

    @Override
    public CompletableFuture<BulkResult<Boolean>> setMany(Map<String, String> entries) {
        return setMany(entries, SetOptions.DEFAULTS);
    }

    @Override
    public CompletableFuture<BulkResult<Boolean>> setMany(Map<String, String> entries, SetOptions options) {
        return writeMany(entries, options, DefaultBrickworksCache::utf8);
    }

    @Override
    public CompletableFuture<BulkResult<Boolean>> setManyBytes(Map<String, byte[]> entries) {
        return setManyBytes(entries, SetOptions.DEFAULTS);
    }

    @Override
    public CompletableFuture<BulkResult<Boolean>> setManyBytes(Map<String, byte[]> entries, SetOptions options) {
        return writeMany(entries, options, byte[]::clone);
    }

    /**
     * The one bulk write path: every entry is checked (and its value copied) before anything is sent,
     * then each is the single-key write, all sent at once.
     */
    private <T> CompletableFuture<BulkResult<Boolean>> writeMany(Map<String, T> entries, SetOptions options,
                                                                 Function<T, byte[]> encode) {
        Names.checkNotNull("entries", entries);
        Names.checkNotNull("options", options);
        List<String> plain = new ArrayList<>(entries.size());
        List<byte[]> values = new ArrayList<>(entries.size());
        int i = 0;
        for (Map.Entry<String, T> entry : entries.entrySet()) {
            plain.add(Names.checkKey("entries[" + i + "] key", entry.getKey()));
            values.add(encode.apply(Names.checkNotNull("entries[" + i + "] value (of key " + Names.show(entry.getKey())
                    + ")", entry.getValue())));
            i++;
        }
        KeyScope scope = scope();
        checkOpen();
        String ns = options.namespace();
        long ttl = expireMillis(options.expire());
        List<String> indexKeys = indexKeys(scope, ns, options);
        List<CompletableFuture<Boolean>> outcomes = new ArrayList<>(plain.size());
        for (int j = 0; j < plain.size(); j++) {
            runtime.metrics().keyWritten(scope.tenant(), ns);
            outcomes.add(backend.set(scope.key(ns, plain.get(j)), values.get(j), ttl, options.isIfAbsent(), indexKeys));
        }
        return BulkOutcomes.collect(plain, outcomes, true);
    }

    @Override
    public CompletableFuture<BulkResult<Boolean>> deleteMany(Collection<String> keys) {
        return deleteMany(keys, DEFAULT_NAMESPACE);
    }

    /** The single-key delete for each key, all sent at once. */
    @Override
    public CompletableFuture<BulkResult<Boolean>> deleteMany(Collection<String> keys, String namespace) {
        List<String> plain = checkKeys("keys", keys);
        Names.checkReadableNamespace("namespace", namespace);
        KeyScope scope = scope();
        checkOpen();
        List<CompletableFuture<Boolean>> outcomes = new ArrayList<>(plain.size());
        for (String key : plain) {
            runtime.metrics().keyDeleted(scope.tenant(), namespace);
            outcomes.add(backend.delete(scope.key(namespace, key)));
        }
        return BulkOutcomes.collect(plain, outcomes, true);
    }

    /** Checks every key of a bulk call ({@code argument[i]} names a bad one); the keys without duplicates, in order. */
    private static List<String> checkKeys(String argument, Collection<String> keys) {
        Names.checkNotNull(argument, keys);
        Set<String> distinct = new LinkedHashSet<>(Math.max(16, (int) (keys.size() / .75f) + 1));
        int i = 0;
        for (String key : keys) {
            distinct.add(Names.checkKey(argument + "[" + i + "]", key));
            i++;
        }
        return new ArrayList<>(distinct);
    }

    // ------------------------------------------------------------------ queues

    @Override
    public CompletableFuture<Long> pushToQueue(String queue, String item) {
        return pushToQueue(queue, item, DEFAULT_NAMESPACE);
    }

    @Override
    public CompletableFuture<Long> pushToQueue(String queue, String item, String namespace) {
        Names.checkKey("queue", queue);
        Names.checkNotNull("item", item);
        Names.checkNamespace("namespace", namespace);
        KeyScope scope = scope();
        checkOpen();
        runtime.metrics().queue(scope.tenant(), queue, QueueEvent.PUSH);
        return backend.pushRight(scope.key(namespace, queue), utf8(item));
    }

    @Override
    public CompletableFuture<String> popFromQueue(String queue) {
        return popFromQueue(queue, DEFAULT_NAMESPACE);
    }

    /** A pop without waiting: the one pop path, with a wait of zero. */
    @Override
    public CompletableFuture<String> popFromQueue(String queue, String namespace) {
        return popFromQueue(queue, namespace, Duration.ZERO);
    }

    @Override
    public CompletableFuture<String> popFromQueue(String queue, Duration wait) {
        return popFromQueue(queue, DEFAULT_NAMESPACE, wait);
    }

    /**
     * The one pop path. The future returned is the backend's handoff itself (see
     * {@link CacheBackend#popLeft(String, long, java.util.function.Function)}): decoding happens
     * before the handoff and counting after it, so that an item is handed to exactly one caller or put
     * back, whoever completes the future and however slow a metrics hook is.
     */
    @Override
    public CompletableFuture<String> popFromQueue(String queue, String namespace, Duration wait) {
        Names.checkKey("queue", queue);
        Names.checkNamespace("namespace", namespace);
        Names.checkNotNegative("wait", wait);
        KeyScope scope = scope();
        checkOpen();
        CompletableFuture<String> result = backend.popLeft(scope.key(namespace, queue), wait.toMillis(),
                DefaultBrickworksCache::string);
        result.thenAccept(item -> runtime.metrics().queue(scope.tenant(), queue,
                item == null ? QueueEvent.EMPTY_POP : QueueEvent.POP));
        return result;
    }

    @Override
    public ReliableQueue reliableQueue(String queue) {
        return reliableQueue(queue, QueueOptions.DEFAULTS);
    }

    @Override
    public ReliableQueue reliableQueue(String queue, QueueOptions options) {
        Names.checkKey("queue", queue);
        Names.checkNotNull("options", options);
        KeyScope scope = scope();
        checkOpen();
        return new DefaultReliableQueue(queue, scope.key(options.namespace(), queue), options, backend,
                runtime::scheduler, this::checkOpen);
    }

    // ------------------------------------------------------------------ sets

    private static List<String> members(Collection<String> values) {
        return Names.checkMembers("values", values);
    }

    @Override
    public CompletableFuture<Long> addToSet(String key, Collection<String> values) {
        return addToSet(key, values, DEFAULT_NAMESPACE, runtime.settings().defaultExpire());
    }

    @Override
    public CompletableFuture<Long> addToSet(String key, Collection<String> values, String namespace, Duration expire) {
        Names.checkKey("key", key);
        List<String> members = members(values);
        Names.checkNamespace("namespace", namespace);
        Names.checkExpire("expire", expire);
        KeyScope scope = scope();
        checkOpen();
        return backend.setAdd(scope.key(namespace, key), members, expire.toMillis());
    }

    @Override
    public CompletableFuture<Long> removeFromSet(String key, Collection<String> values) {
        return removeFromSet(key, values, DEFAULT_NAMESPACE);
    }

    @Override
    public CompletableFuture<Long> removeFromSet(String key, Collection<String> values, String namespace) {
        Names.checkKey("key", key);
        List<String> members = members(values);
        Names.checkNamespace("namespace", namespace);
        KeyScope scope = scope();
        checkOpen();
        return backend.setRemove(scope.key(namespace, key), members);
    }

    @Override
    public CompletableFuture<Set<String>> getSetMembers(String key) {
        return getSetMembers(key, DEFAULT_NAMESPACE);
    }

    @Override
    public CompletableFuture<Set<String>> getSetMembers(String key, String namespace) {
        Names.checkKey("key", key);
        Names.checkReadableNamespace("namespace", namespace);
        KeyScope scope = scope();
        checkOpen();
        return backend.setMembers(scope.key(namespace, key));
    }

    @Override
    public CompletableFuture<Boolean> isSetMember(String key, String value) {
        return isSetMember(key, value, DEFAULT_NAMESPACE);
    }

    @Override
    public CompletableFuture<Boolean> isSetMember(String key, String value, String namespace) {
        Names.checkKey("key", key);
        Names.checkMember("value", value);
        Names.checkReadableNamespace("namespace", namespace);
        KeyScope scope = scope();
        checkOpen();
        return backend.setIsMember(scope.key(namespace, key), value);
    }

    // ------------------------------------------------------------------ indices

    @Override
    public CompletableFuture<List<String>> listKeysByIndex(String index) {
        return listKeysByIndex(index, DEFAULT_NAMESPACE);
    }

    @Override
    public CompletableFuture<List<String>> listKeysByIndex(String index, String namespace) {
        Names.check("index", index);
        Names.checkReadableNamespace("namespace", namespace);
        KeyScope scope = scope();
        checkOpen();
        return backend.indexMembers(scope.indexKey(namespace, index)).thenApply(full -> {
            List<String> plain = new ArrayList<>(full.size());
            for (String k : full) {
                plain.add(KeyScope.plainKey(k));
            }
            return plain;
        });
    }

    @Override
    public CompletableFuture<Long> deleteKeysByIndex(String index) {
        return deleteKeysByIndex(index, DEFAULT_NAMESPACE);
    }

    @Override
    public CompletableFuture<Long> deleteKeysByIndex(String index, String namespace) {
        Names.check("index", index);
        Names.checkReadableNamespace("namespace", namespace);
        KeyScope scope = scope();
        checkOpen();
        String indexKey = scope.indexKey(namespace, index);
        return backend.indexMembers(indexKey).thenCompose(members -> {
            if (members.isEmpty()) {
                return CompletableFuture.completedFuture(0L);
            }
            // Remove only the listed members from the index: keys indexed concurrently stay indexed.
            return backend.deleteAll(members).thenCompose(deleted ->
                    backend.setRemove(indexKey, members).thenApply(ignored -> deleted));
        });
    }

    // ------------------------------------------------------------------ function cache

    @Override
    public io.brickworks.cache.function.FunctionCache functions() {
        runtime.startThreads();
        return new io.brickworks.cache.function.internal.DefaultFunctionCache(this);
    }

    // ------------------------------------------------------------------ locks

    @Override
    public CompletableFuture<Boolean> attemptDistributedLock(String name) {
        return attemptDistributedLock(name, DEFAULT_LOCK_TTL);
    }

    @Override
    public CompletableFuture<Boolean> attemptDistributedLock(String name, Duration ttl) {
        Names.check("name", name);
        Names.checkExpire("ttl", ttl);
        return runtime.locks().acquireUnfenced(lockTarget(name), runtime.ownerTokenBytes(), ttl);
    }

    @Override
    public CompletableFuture<Boolean> releaseDistributedLock(String name) {
        Names.check("name", name);
        KeyScope scope = scope();
        checkOpen();
        return backend.compareAndDelete(scope.key(KeyScope.LOCK_NAMESPACE, name), runtime.ownerTokenBytes())
                .thenApply(released -> {
                    if (released) {
                        runtime.metrics().lock(scope.tenant(), name, LockEvent.RELEASED);
                    }
                    return released;
                });
    }

    /** The scoped keys of lock {@code name} in the tenant of this call; {@code name} must be checked. */
    private LockTarget lockTarget(String name) {
        KeyScope scope = scope();
        checkOpen();
        return new LockTarget(name, scope.tenant(), scope.key(KeyScope.LOCK_NAMESPACE, name), scope.lockFenceKey(name));
    }

    @Override
    public CompletableFuture<Optional<LockHandle>> tryLock(String name, Duration ttl) {
        Names.check("name", name);
        Names.checkExpire("ttl", ttl);
        return runtime.locks().tryLock(lockTarget(name), ttl);
    }

    @Override
    public CompletableFuture<Optional<LockHandle>> lock(String name, Duration ttl, Duration maxWait) {
        Names.check("name", name);
        Names.checkExpire("ttl", ttl);
        Names.checkNotNegative("maxWait", maxWait);
        LockTarget target = lockTarget(name);
        runtime.startThreads();
        return runtime.locks().lock(target, ttl, maxWait);
    }

    @Override
    public <T> CompletableFuture<LockResult<T>> withLock(String name, Duration ttl,
                                                         Function<? super LockHandle, ? extends CompletionStage<T>> work) {
        Names.check("name", name);
        return withLock(name, LockOptions.of(ttl), work);
    }

    @Override
    public <T> CompletableFuture<LockResult<T>> withLock(String name, LockOptions options,
                                                         Function<? super LockHandle, ? extends CompletionStage<T>> work) {
        Names.check("name", name);
        Names.checkNotNull("options", options);
        Names.checkNotNull("work", work);
        LockTarget target = lockTarget(name);
        runtime.startThreads();
        return runtime.locks().withLock(target, options, work);
    }

    // ------------------------------------------------------------------ tenancy and lifecycle

    @Override
    public BrickworksCache forTenant(String tenant) {
        Names.check("tenant", tenant);
        return new DefaultBrickworksCache(runtime, tenant, false);
    }

    @Override
    public BrickworksCache masterTenant() {
        return new DefaultBrickworksCache(runtime, runtime.settings().masterTenant(), false);
    }

    @Override
    public Optional<String> boundTenant() {
        return boundScope == null ? Optional.empty() : Optional.of(boundScope.tenant());
    }

    @Override
    public String currentTenant() {
        return scope().tenant();
    }

    @Override
    public CacheSettings settings() {
        return runtime.settings();
    }

    @Override
    public CompletableFuture<Duration> ping() {
        checkOpen();
        long start = System.nanoTime();
        return backend.ping().thenApply(ignored -> Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public java.util.Optional<io.brickworks.cache.metrics.NearCacheStats> nearCacheStats() {
        checkOpen();
        return backend.nearCacheStats();
    }

    @Override
    public io.brickworks.cache.admin.CacheAdmin admin() {
        checkOpen();
        return new io.brickworks.cache.admin.internal.DefaultCacheAdmin(backend, runtime.settings().keyPrefix(),
                runtime.ownerToken(), null, null);
    }

    @Override
    public void bindMetrics(CacheMetrics metrics) {
        Names.checkNotNull("metrics", metrics);
        runtime.bindMetrics(metrics);
    }

    /** A cached function was built on this cache; see {@link CacheRuntime#functionCreated}. */
    public void functionCreated(String name, java.util.function.Supplier<io.brickworks.cache.function.FunctionCacheStats> stats) {
        runtime.functionCreated(name, stats);
    }

    /** The backend's local tier (never null), read before the backend by features built on top of the cache. */
    public LocalTier localTier() {
        return tier;
    }

    /**
     * Where this cache runs application code (the application's executor, or the cache's pool); for
     * features built on top of the cache.
     *
     * @throws IllegalStateException if the cache is closed and its pool was never created
     */
    public Executor executor() {
        return runtime.executor();
    }

    /**
     * The cache's scheduler for short timed tasks that do not block.
     *
     * @throws IllegalStateException if the cache is closed
     */
    public ScheduledExecutorService scheduler() {
        return runtime.scheduler();
    }

    /** The runtime's backend, for features built on top of the cache (locks, function cache). */
    public CacheBackend backend() {
        return backend;
    }

    @Override
    public void close() {
        if (owner) {
            runtime.close();
        }
    }

    @Override
    public String toString() {
        return "BrickworksCache{" + backend.describe()
                + (boundScope != null ? ", tenant=" + boundScope.tenant() : "") + "}";
    }
}
