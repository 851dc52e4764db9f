package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.internal.KeyScope;
import io.brickworks.cache.spi.LocalTier;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The near cache: values read from Redis kept in this process, in the backend's
 * {@linkplain LocalTier local tier} (bounded in entries, the same component that is the whole of the
 * memory backend, which the cache reads before it asks the backend), while Redis tracks them for us
 * (server-assisted client-side caching, {@code CLIENT TRACKING ON} in the default mode over RESP3).
 * This class fills and empties the tier; it never serves a value the tier did not get through it.
 *
 * <p><b>One tracking connection.</b> The near cache reads through a connection of its own
 * ({@link RedisChannel#connectDedicated()}) on which tracking is on; Redis pushes the
 * {@code invalidate} messages for the keys read there on that same connection. Reads that fill the
 * near cache and the invalidations of the keys they read thus share one ordered stream, and their
 * fate is tied: when the connection goes, so does everything it filled. Writes go through the
 * backend's usual connection, as before.
 *
 * <p><b>Never stale forever.</b>
 * <ul>
 * <li>An invalidation that arrives while the read that would fill its key is in flight wins: each
 *     read registers a token for its key before it is sent, an invalidation removes the token, and
 *     the read fills the entry only if its token is still there (both under the key's bin lock).</li>
 * <li>An invalidation of everything (a null key list: {@code FLUSHALL}, {@code FLUSHDB}) empties the
 *     near cache and cancels every fill in flight ({@link #invalidateAll()}).</li>
 * <li>A lost tracking connection (killed, Redis restarted, failed over) empties the near cache at
 *     once and cancels the fills in flight; until a new connection has tracking on again, reads go
 *     to Redis through the backend and fill nothing.</li>
 * <li>Every entry keeps the deadline of its Redis TTL, read with {@code PTTL} in the same pipeline
 *     as the {@code GET} and counted from before the read was sent, and is never served past it.</li>
 * <li>This process's own writes invalidate their key when they are sent and again when they
 *     complete ({@link #written}), so a read that follows a completed write never sees the old value.</li>
 * </ul>
 *
 * <p>Values are held as the backend returned them and never handed out to be modified (the cache
 * copies bytes before giving them to an application). Push messages and fills run on Lettuce I/O
 * threads and only touch in-memory maps.
 */
final class NearCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NearCache.class);

    private final RedisChannel link;
    private final ClientResources resources;
    private final String prefix;
    /** The namespaces held; empty for all. */
    private final Set<String> namespaces;
    private final LocalTier tier;
    /** The token of the latest read in flight per key; an invalidation removes it. */
    private final ConcurrentHashMap<String, Object> inFlight = new ConcurrentHashMap<>();
    /** Fills hold the read lock; emptying everything holds the write lock, so no fill slips past it. */
    private final ReentrantReadWriteLock flushLock = new ReentrantReadWriteLock();
    /** Bumped by every {@link #invalidateAll()}; a fill started under an older generation is dropped. */
    private volatile long generation;

    private final Object lock = new Object();
    /** The connection with tracking on, or {@code null} while there is none. Guarded by lock for writes. */
    private volatile StatefulRedisConnection<String, byte[]> tracked;
    private boolean closed;

    private final PushListener pushes = this::onPush;
    private final RedisConnectionStateListener drops = new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            lost(handler);
        }
    };

    private NearCache(RedisChannel link, ClientResources resources, CacheSettings settings) {
        this.link = link;
        this.resources = resources;
        this.prefix = settings.keyPrefix() + ':';
        this.namespaces = Set.copyOf(settings.nearCacheNamespaces());
        this.tier = LocalTier.inFront(settings.nearCacheMaxEntries(), settings.ticker());
    }

    /**
     * Opens the tracking connection, blocking the calling thread at most {@code timeoutMillis}.
     *
     * @throws io.brickworks.cache.spi.CacheBackendException when it cannot be opened or Redis refuses
     *     {@code CLIENT TRACKING} (Redis before 6)
     */
    static NearCache open(RedisChannel link, ClientResources resources, CacheSettings settings, long timeoutMillis) {
        NearCache near = new NearCache(link, resources, settings);
        try {
            near.connect().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            near.close();
            throw link.faults().translate(e);
        } catch (Exception e) {
            near.close();
            throw link.faults().translate(e);
        }
        return near;
    }

    /** Whether keys under {@code key}'s namespace are held (locks never are). */
    boolean holds(String key) {
        if (!key.startsWith(prefix)) {
            return false;
        }
        int tenantEnd = key.indexOf(':', prefix.length());
        int namespaceEnd = tenantEnd < 0 ? -1 : key.indexOf(':', tenantEnd + 1);
        if (namespaceEnd < 0) {
            return false;
        }
        String namespace = key.substring(tenantEnd + 1, namespaceEnd);
        if (namespace.equals(KeyScope.LOCK_NAMESPACE)) {
            return false;
        }
        return namespaces.isEmpty() || namespaces.contains(namespace);
    }

    /** The tier this near cache fills, for the cache to read. */
    LocalTier tier() {
        return tier;
    }

    /**
     * The value of {@code key}: from this process while it is held and within its TTL, else read
     * through the tracking connection ({@code GET} and {@code PTTL} pipelined) and kept, or, while
     * there is no tracking connection or for a key not held, from {@code direct}.
     */
    CompletableFuture<byte[]> get(String key, Function<String, CompletableFuture<byte[]>> direct) {
        if (tier.get(key) instanceof LocalTier.Value hit) {
            return CompletableFuture.completedFuture(hit.bytes());
        }
        StatefulRedisConnection<String, byte[]> c = tracked;
        if (c == null || !holds(key)) {
            return direct.apply(key);
        }
        Object token = new Object();
        long startGeneration = generation;
        inFlight.put(key, token);
        long sentAt = tier.now();
        RedisAsyncCommands<String, byte[]> commands = c.async();
        CompletableFuture<byte[]> value = commands.get(key).toCompletableFuture();
        CompletableFuture<Long> ttl = commands.pttl(key).toCompletableFuture();
        return value.thenCombine(ttl, (v, pttl) -> {
            fill(key, token, startGeneration, v, pttl, sentAt);
            return v;
        }).exceptionallyCompose(error -> {
            inFlight.remove(key, token);
            return direct.apply(key);
        });
    }

    private void fill(String key, Object token, long startGeneration, byte[] value, Long pttl, long sentAt) {
        flushLock.readLock().lock();
        try {
            inFlight.compute(key, (k, current) -> {
                if (current == token) {
                    if (value != null && pttl != null && pttl != -2 && generation == startGeneration) {
                        long deadline = pttl < 0 ? LocalTier.NO_DEADLINE : LocalTier.deadlineAfter(sentAt, pttl);
                        tier.put(k, new LocalTier.Value(value, deadline));
                    }
                    return null;
                }
                return current;
            });
        } finally {
            flushLock.readLock().unlock();
        }
    }

    /** Removes {@code key} and cancels a fill of it in flight. */
    void invalidate(String key) {
        inFlight.compute(key, (k, current) -> {
            tier.invalidate(k);
            return null;
        });
    }

    /** Empties the near cache and cancels every fill in flight. */
    void invalidateAll() {
        flushLock.writeLock().lock();
        try {
            generation++;
            inFlight.clear();
            tier.invalidateAll();
        } finally {
            flushLock.writeLock().unlock();
        }
    }

    /**
     * Read-your-writes for a write of {@code key} by this process: invalidates it now and again when
     * {@code write} completes; the returned future completes after that.
     */
    <T> CompletableFuture<T> written(String key, CompletableFuture<T> write) {
        invalidate(key);
        return write.whenComplete((r, e) -> invalidate(key));
    }

    /** Like {@link #written(String, CompletableFuture)} for several keys. */
    <T> CompletableFuture<T> written(Iterable<String> keys, CompletableFuture<T> write) {
        keys.forEach(this::invalidate);
        return write.whenComplete((r, e) -> keys.forEach(this::invalidate));
    }

    /** How many entries are held now (for tests and benchmarks). */
    long size() {
        tier.cleanUp();
        return tier.size();
    }

    /** The values held now, by key (for tests: a copy). */
    java.util.Map<String, byte[]> snapshot() {
        java.util.Map<String, byte[]> out = new java.util.HashMap<>();
        tier.forEach((k, e) -> out.put(k, ((LocalTier.Value) e).bytes()));
        return out;
    }

    /** Whether reads are tracked now (a tracking connection is up). */
    boolean isTracking() {
        return tracked != null;
    }

    private void onPush(PushMessage message) {
        if (!"invalidate".equals(message.getType())) {
            return;
        }
        List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
        Object keys = content.size() > 1 ? content.get(1) : null;
        if (keys instanceof List<?> list) {
            for (Object key : list) {
                invalidate(String.valueOf(key));
            }
        } else {
            invalidateAll();
        }
    }

    /** Opens a connection, turns tracking on and only then lets reads fill through it. */
    private CompletableFuture<Void> connect() {
        return link.connectDedicated().thenCompose(dedicated -> {
            @SuppressWarnings("unchecked")
            StatefulRedisConnection<String, byte[]> c = (StatefulRedisConnection<String, byte[]>) dedicated.connection();
            c.addListener(pushes);
            c.addListener(drops);
            return c.async().clientTracking(TrackingArgs.Builder.enabled()).toCompletableFuture()
                    .handle((ok, error) -> {
                        if (error != null) {
                            c.closeAsync();
                            throw new IllegalStateException("Redis refused CLIENT TRACKING ON (the near cache needs "
                                    + "Redis 6 or later and RESP3): " + RedisFaults.unwrap(error).getMessage(), error);
                        }
                        synchronized (lock) {
                            if (closed) {
                                c.closeAsync();
                                return null;
                            }
                            // whatever was read before this connection is not tracked by it
                            invalidateAll();
                            tracked = c;
                        }
                        if (!c.isOpen()) {
                            lost(c);
                        }
                        return null;
                    });
        });
    }

    /** The tracking connection dropped: empty the near cache before anything else, then reconnect. */
    private void lost(Object handler) {
        synchronized (lock) {
            if (tracked != handler) {
                return;
            }
            tracked = null;
            invalidateAll();
            if (closed) {
                return;
            }
        }
        LOG.warn("Lost the near cache's tracking connection to Redis at {}; emptied the near cache, reconnecting",
                link.faults().address());
        ((StatefulRedisConnection<?, ?>) handler).closeAsync();
        reconnectSoon(0);
    }

    private void reconnectSoon(long delayMillis) {
        try {
            resources.eventExecutorGroup().schedule(() -> {
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                }
                connect().whenComplete((ok, error) -> {
                    if (error != null) {
                        reconnectSoon(RedisLink.MAX_BACKOFF.toMillis());
                    }
                });
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            // the executors are shutting down: the backend is closing
        }
    }

    /** Closes the tracking connection and empties the near cache. Idempotent. */
    @Override
    public void close() {
        StatefulRedisConnection<String, byte[]> c;
        synchronized (lock) {
            closed = true;
            c = tracked;
            tracked = null;
        }
        invalidateAll();
        if (c != null) {
            c.removeListener(drops);
            c.closeAsync();
        }
    }
}
