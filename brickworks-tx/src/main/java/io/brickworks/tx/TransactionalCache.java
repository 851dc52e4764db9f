package io.brickworks.tx;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.internal.Names;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A transaction-aware view of a {@link BrickworksCache} for the changes that must follow the database:
 * each method writes to the cache <em>after the transaction active on the calling thread commits</em>
 * (a brickworks-db session, or a Spring-managed transaction with brickworks-spring-tx), and at once
 * when no transaction is active. Nothing is written when the transaction rolls back.
 *
 * <pre>{@code
 * TransactionalCache txCache = TransactionalCache.of(cache);
 * db.useSession(session -> {
 *     session.update("UPDATE users SET name = ? WHERE id = ?", name, id);
 *     txCache.deleteKey("user-" + id);          // deleted when the commit succeeds
 * });
 * }</pre>
 *
 * <h2>Contract of every method</h2>
 * <ul>
 * <li>Arguments are checked at the call, with the cache's rules (no null, empty or colon-holding names,
 *     positive expiries): a bad one throws {@link IllegalArgumentException} and nothing is registered
 *     or written. Byte arrays and collections are copied at the call.</li>
 * <li>The tenant is resolved at the call (the view's tenant, or the one bound now), so the deferred
 *     write lands in the tenant the caller meant, whichever thread runs it. With multi-tenancy on and
 *     no tenant bound, the call throws {@link IllegalStateException}.</li>
 * <li>Inside a transaction the write is a post-commit callback: it runs after the commit, in
 *     registration order with the transaction's other callbacks, and the commit waits for it
 *     (bounded). Its failure is logged and does not undo the commit.</li>
 * <li>The returned future completes with the cache method's result once the write ran. If the
 *     transaction rolls back it fails with {@link TransactionRolledBackException} (a
 *     {@code CancellationException}). <strong>Never wait for it inside the transaction</strong>: it
 *     cannot complete before the commit, so waiting there blocks forever.</li>
 * <li>Each method has the atomicity and expiry effect of the {@link BrickworksCache} method it defers
 *     to. Instances are immutable and thread-safe.</li>
 * </ul>
 */
public final class TransactionalCache {

    private final BrickworksCache cache;

    private TransactionalCache(BrickworksCache cache) {
        this.cache = cache;
    }

    /**
     * A transaction-aware view of {@code cache}; it does not own the cache.
     *
     * @throws IllegalArgumentException if {@code cache} is null
     */
    public static TransactionalCache of(BrickworksCache cache) {
        return new TransactionalCache(Names.checkNotNull("cache", cache));
    }

    /** The cache this view writes to, for reads and immediate writes. */
    public BrickworksCache cache() {
        return cache;
    }

    /** {@link BrickworksCache#setKey(String, String)} after the commit. */
    public CompletableFuture<Boolean> setKey(String key, String value) {
        return setKey(key, value, SetOptions.DEFAULTS);
    }

    /** {@link BrickworksCache#setKey(String, String, SetOptions)} after the commit. */
    public CompletableFuture<Boolean> setKey(String key, String value, SetOptions options) {
        Names.check("key", key);
        Names.checkNotNull("value", value);
        Names.checkNotNull("options", options);
        return defer(c -> c.setKey(key, value, options));
    }

    /** {@link BrickworksCache#setKey(String, byte[])} after the commit (the bytes are copied now). */
    public CompletableFuture<Boolean> setKey(String key, byte[] value) {
        return setKey(key, value, SetOptions.DEFAULTS);
    }

    /** {@link BrickworksCache#setKey(String, byte[], SetOptions)} after the commit (the bytes are copied now). */
    public CompletableFuture<Boolean> setKey(String key, byte[] value, SetOptions options) {
        Names.check("key", key);
        byte[] copy = Names.checkNotNull("value", value).clone();
        Names.checkNotNull("options", options);
        return defer(c -> c.setKey(key, copy, options));
    }

    /** {@link BrickworksCache#deleteKey(String)} after the commit. */
    public CompletableFuture<Boolean> deleteKey(String key) {
        return deleteKey(key, BrickworksCache.DEFAULT_NAMESPACE);
    }

    /** {@link BrickworksCache#deleteKey(String, String)} after the commit. */
    public CompletableFuture<Boolean> deleteKey(String key, String namespace) {
        Names.check("key", key);
        Names.check("namespace", namespace);
        return defer(c -> c.deleteKey(key, namespace));
    }

    /** {@link BrickworksCache#deleteKeysByIndex(String)} after the commit. */
    public CompletableFuture<Long> deleteKeysByIndex(String index) {
        return deleteKeysByIndex(index, BrickworksCache.DEFAULT_NAMESPACE);
    }

    /** {@link BrickworksCache#deleteKeysByIndex(String, String)} after the commit (bulk invalidation). */
    public CompletableFuture<Long> deleteKeysByIndex(String index, String namespace) {
        Names.check("index", index);
        Names.check("namespace", namespace);
        return defer(c -> c.deleteKeysByIndex(index, namespace));
    }

    /** {@link BrickworksCache#pushToQueue(String, String)} after the commit (an outbox-style message). */
    public CompletableFuture<Long> pushToQueue(String queue, String item) {
        return pushToQueue(queue, item, BrickworksCache.DEFAULT_NAMESPACE);
    }

    /** {@link BrickworksCache#pushToQueue(String, String, String)} after the commit. */
    public CompletableFuture<Long> pushToQueue(String queue, String item, String namespace) {
        Names.check("queue", queue);
        Names.checkNotNull("item", item);
        Names.check("namespace", namespace);
        return defer(c -> c.pushToQueue(queue, item, namespace));
    }

    /** {@link BrickworksCache#addToSet(String, Collection, String, Duration)} after the commit. */
    public CompletableFuture<Long> addToSet(String key, Collection<String> values, String namespace, Duration expire) {
        Names.check("key", key);
        List<String> copy = Names.checkMembers("values", values);
        Names.check("namespace", namespace);
        Names.checkExpire("expire", expire);
        return defer(c -> c.addToSet(key, copy, namespace, expire));
    }

    /** {@link BrickworksCache#removeFromSet(String, Collection, String)} after the commit. */
    public CompletableFuture<Long> removeFromSet(String key, Collection<String> values, String namespace) {
        Names.check("key", key);
        List<String> copy = Names.checkMembers("values", values);
        Names.check("namespace", namespace);
        return defer(c -> c.removeFromSet(key, copy, namespace));
    }

    private <T> CompletableFuture<T> defer(Function<BrickworksCache, CompletableFuture<T>> write) {
        BrickworksCache target = cache.boundTenant().isPresent() ? cache : cache.forTenant(cache.currentTenant());
        return PostCommit.afterCommitOrNow(() -> write.apply(target));
    }

    @Override
    public String toString() {
        return "TransactionalCache{" + cache.settings() + "}";
    }
}
