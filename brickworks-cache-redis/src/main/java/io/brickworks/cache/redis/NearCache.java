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
import io.brickworks.cache.metrics.NearCacheStats;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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
 * <p><b>On a cluster, one tracking connection per primary</b> ({@link TrackedNodes#primariesOf}):
 * a key is read through the connection of the primary that serves its slot (a redirect answer,
 * {@code MOVED} or {@code ASK}, is not tracked and fills nothing). The heartbeat there is
 * {@code CLUSTER NODES}: a primary that no longer is one is given up like a lost connection, and
 * the entries of slots it no longer serves are dropped ({@link #dropSlots}). Each tick also opens
 * trackers for new primaries of the slot map and closes those of nodes that left it. Any primary's
 * lost, late or demoted connection empties the whole near cache.
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
 *     to Redis through the backend and fill nothing. A lost main connection of the backend
 *     ({@link #mainConnectionLost()}) does the same: the two are often cut by one fault, and the
 *     main one may notice it first.</li>
 * <li><b>The staleness bound</b> ({@code nearCacheStalenessBound}, B): every B/4 a heartbeat,
 *     {@code GET} of the epoch key, goes out on the tracking connection. Its answer arrives after
 *     every invalidation Redis queued before it on that connection, so once it is answered,
 *     everything changed before it was sent has been invalidated here. When no heartbeat sent in
 *     the last B/2 has been answered (checked every B/4), the near cache is emptied and the
 *     tracking connection replaced, as if it were lost: no value is served from the process more
 *     than 3B/4 after it changed in Redis if the timer runs on time, and never more than B unless
 *     this process's timer thread runs more than B/4 late, whatever the network does (silent cuts
 *     in either direction, a paused or unreachable server). Heartbeats that pile up unanswered cost
 *     one small command each.</li>
 * <li><b>The epoch.</b> {@code SWAPDB} changes every key's value without an invalidation. The
 *     epoch key ({@code <prefix>:__near_cache_epoch__}, never held itself) carries a random value
 *     set once per database; a heartbeat answering another value (or none) shows that the database
 *     under the connection changed: the near cache is emptied and tracking starts again.</li>
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
    /** Where the tracking connections go: the one server, or every primary of a cluster. */
    private final TrackedNodes nodes;
    /** One tracker per node tracked (one server: one, under the id ""). Changed under lock. */
    private final ConcurrentHashMap<String, Tracker> trackers = new ConcurrentHashMap<>();
    private boolean closed;

    /** The key whose random value tells one database from another (see the class comment). */
    private final String epochKey;
    private final long boundNanos;
    private final long heartbeatNanos;
    private volatile ScheduledFuture<?> heartbeat;
    /** The negative control of the fault tests: with it off, no heartbeat and no deadline (planted bug). */
    private volatile boolean heartbeats = true;
    /** The negative control of the main-connection test: with it off, a lost main connection is ignored. */
    private volatile boolean followMainConnection = true;
    /** The negative control of the cluster tests: with it off, Redis's invalidations are ignored (planted bug). */
    private volatile boolean followInvalidations = true;
    /** The negative control of the slot test: with it off, entries of slots that moved away are kept (planted bug). */
    private volatile boolean slotChecks = true;

    private final LongAdder misses = new LongAdder();
    private final LongAdder invalidations = new LongAdder();
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();

    private final PushListener pushes = this::onPush;

    private NearCache(RedisChannel link, ClientResources resources, CacheSettings settings, TrackedNodes nodes) {
        this.link = link;
        this.resources = resources;
        this.nodes = nodes;
        this.prefix = settings.keyPrefix() + ':';
        this.namespaces = Set.copyOf(settings.nearCacheNamespaces());
        this.tier = LocalTier.inFront(settings.nearCacheMaxEntries(), settings.ticker());
        this.epochKey = settings.keyPrefix() + ":__near_cache_epoch__";
        this.boundNanos = settings.nearCacheStalenessBound().toNanos();
        this.heartbeatNanos = boundNanos / 4;
    }

    /**
     * Opens the tracking connection to one server (or Sentinel's primary), blocking the calling
     * thread at most {@code timeoutMillis}.
     *
     * @throws io.brickworks.cache.spi.CacheBackendException when it cannot be opened or Redis refuses
     *     {@code CLIENT TRACKING} (Redis before 6)
     */
    static NearCache open(RedisChannel link, ClientResources resources, CacheSettings settings, long timeoutMillis) {
        return open(link, resources, settings, timeoutMillis, TrackedNodes.one(link));
    }

    /**
     * Opens a tracking connection to every node that {@code nodes} name now (on a cluster, every
     * primary), blocking the calling thread at most {@code timeoutMillis}; closing the near cache
     * closes {@code nodes}.
     *
     * @throws io.brickworks.cache.spi.CacheBackendException when one cannot be opened or a node
     *     refuses {@code CLIENT TRACKING} (Redis before 6)
     */
    static NearCache open(RedisChannel link, ClientResources resources, CacheSettings settings, long timeoutMillis,
                          TrackedNodes nodes) {
        NearCache near = new NearCache(link, resources, settings, nodes);
        try {
            List<CompletableFuture<Void>> connected = new java.util.ArrayList<>();
            synchronized (near.lock) {
                for (String node : nodes.current()) {
                    Tracker t = near.new Tracker(node);
                    near.trackers.put(node, t);
                    connected.add(t.connect());
                }
            }
            if (connected.isEmpty()) {
                throw new IllegalStateException("no Redis node to track reads on (" + link.faults().address() + ")");
            }
            CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)).get(timeoutMillis, TimeUnit.MILLISECONDS);
            near.heartbeat = resources.eventExecutorGroup().scheduleAtFixedRate(near::beat, near.heartbeatNanos,
                    near.heartbeatNanos, TimeUnit.NANOSECONDS);
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
     * through the tracking connection of the node that serves it ({@code GET} and {@code PTTL}
     * pipelined) and kept, or, while that node has no tracking connection or for a key not held,
     * from {@code direct}. On a cluster, a node that answers the read with a redirect
     * ({@code MOVED}, {@code ASK}: the slot moved or is moving) did not track it: the read goes to
     * {@code direct} and fills nothing.
     */
    CompletableFuture<byte[]> get(String key, Function<String, CompletableFuture<byte[]>> direct) {
        if (tier.get(key) instanceof LocalTier.Value hit) {
            return CompletableFuture.completedFuture(hit.bytes());
        }
        if (!holds(key)) {
            return direct.apply(key);
        }
        misses.increment();
        StatefulRedisConnection<String, byte[]> c = trackingConnectionFor(key);
        if (c == null) {
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

    /** The tracking connection that reads {@code key}: the one server's, or its slot's primary's; null while none. */
    private StatefulRedisConnection<String, byte[]> trackingConnectionFor(String key) {
        if (!nodes.isCluster()) {
            Tracker only = trackers.get(TrackedNodes.ONE);
            return only == null ? null : only.tracked;
        }
        int slot = SlotHash.getSlot(key);
        for (Tracker t : trackers.values()) {
            StatefulRedisConnection<String, byte[]> c = t.tracked;
            if (c != null && t.slots.get(slot)) {
                return c;
            }
        }
        return null;
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

    /** Whether reads are tracked now: every node tracked has a tracking connection up. */
    boolean isTracking() {
        return !trackers.isEmpty() && trackers.values().stream().allMatch(t -> t.tracked != null);
    }

    /** How many nodes have a tracking connection up now (for tests). */
    int trackedNodes() {
        return (int) trackers.values().stream().filter(t -> t.tracked != null).count();
    }

    private void onPush(PushMessage message) {
        if (!"invalidate".equals(message.getType()) || !followInvalidations) {
            return;
        }
        List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
        Object keys = content.size() > 1 ? content.get(1) : null;
        if (keys instanceof List<?> list) {
            for (Object key : list) {
                invalidate(String.valueOf(key));
            }
            invalidations.add(list.size());
        } else {
            flushes.incrementAndGet();
            invalidateAll();
        }
    }

    /**
     * One heartbeat tick (every quarter of the bound): on a cluster, first follows the nodes (a new
     * primary gets a tracker, a node that is no longer one loses its own); then, per node, drops the
     * tracking connection when no heartbeat sent in the last half of the bound has been answered,
     * else sends the next one.
     */
    private void beat() {
        if (!heartbeats) {
            return;
        }
        if (nodes.isCluster()) {
            followNodes();
        }
        for (Tracker t : trackers.values()) {
            t.beat();
        }
    }

    /** Opens a tracker for every new primary and closes the trackers of nodes that are no longer primaries. */
    private void followNodes() {
        Set<String> current;
        try {
            current = nodes.current();
        } catch (RuntimeException e) {
            return; // no slot map now: the trackers' own heartbeats still run
        }
        if (current.isEmpty()) {
            return;
        }
        List<Tracker> started = new java.util.ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (String node : current) {
                if (!trackers.containsKey(node)) {
                    Tracker t = new Tracker(node);
                    trackers.put(node, t);
                    started.add(t);
                }
            }
            for (Tracker t : List.copyOf(trackers.values())) {
                if (!current.contains(t.node)) {
                    t.remove("the node is no longer a primary of the cluster");
                }
            }
        }
        for (Tracker t : started) {
            LOG.info("The near cache tracks reads on a new Redis Cluster primary {}", nodes.address(t.node));
            t.connect().whenComplete((ok, error) -> {
                if (error != null) {
                    t.reconnectSoon(RedisLink.MAX_BACKOFF.toMillis());
                }
            });
        }
    }

    /**
     * The backend's main connection to the same server was lost: the tracking connection may be cut
     * by the same fault without knowing it yet, so stop serving from the process now and track again
     * on a new connection.
     */
    void mainConnectionLost() {
        if (!followMainConnection) {
            return;
        }
        for (Tracker t : trackers.values()) {
            StatefulRedisConnection<String, byte[]> c = t.tracked;
            if (c != null) {
                t.lost(c, "the backend's main connection to Redis was lost");
            }
        }
    }

    /** The counters now; on a cluster, tracking only when every primary is tracked, and the oldest heartbeat of all. */
    NearCacheStats stats() {
        long now = System.nanoTime();
        long oldest = trackers.values().stream().mapToLong(t -> now - t.answeredSentAt.get()).max().orElse(0);
        return new NearCacheStats(tier.hits(), misses.sum(), invalidations.sum(), flushes.get(), reconnects.get(),
                tier.size(), isTracking(), TimeUnit.NANOSECONDS.toMillis(oldest),
                TimeUnit.NANOSECONDS.toMillis(boundNanos));
    }

    /** Planted bug for the negative controls: no heartbeats, no deadline. */
    void heartbeatsOff() {
        heartbeats = false;
    }

    /** Planted bug for the negative controls: a lost main connection leaves the near cache serving. */
    void ignoreMainConnection() {
        followMainConnection = false;
    }

    /**
     * Drops the entries of {@code lostSlots}, which a node no longer serves (they moved to another
     * primary). Keys moved with {@code MIGRATE} were invalidated already by their deletion on the
     * node; this covers the rest (a slot handed over by other means), and runs after every fill
     * read on that node before its answer (one ordered connection).
     */
    private void dropSlots(BitSet lostSlots) {
        List<String> dropped = new java.util.ArrayList<>();
        tier.forEach((k, e) -> {
            if (lostSlots.get(SlotHash.getSlot(k))) {
                dropped.add(k);
            }
        });
        dropped.forEach(this::invalidate);
        invalidations.add(dropped.size());
        LOG.debug("The near cache dropped {} entries of {} slots that moved to another primary", dropped.size(),
                lostSlots.cardinality());
    }

    /** Planted bug for the negative controls: the entries of slots that moved away are kept. */
    void slotChecksOff() {
        slotChecks = false;
    }

    /** Planted bug for the negative controls: Redis's invalidations are ignored. */
    void invalidationsOff() {
        followInvalidations = false;
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            f.join();
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    /**
     * The tracking connection to one node (the one server, or one primary of a cluster), its
     * heartbeat, and, on a cluster, the slots the node said it serves.
     */
    private final class Tracker {
        final String node;
        /** The connection with tracking on, or {@code null} while there is none. Written under lock. */
        volatile StatefulRedisConnection<String, byte[]> tracked;
        /** One server: the epoch value read when {@link #tracked} was set up. */
        volatile String epoch;
        /** Cluster: the slots the node served at its latest answer; only keys of these are read through it. */
        volatile BitSet slots = new BitSet();
        /** When (System.nanoTime) the latest answered heartbeat of {@link #tracked} was sent. */
        final AtomicLong answeredSentAt = new AtomicLong(System.nanoTime());
        /** Guarded by lock. */
        boolean connectedBefore;
        /** Guarded by lock: the node is no longer tracked. */
        boolean removed;

        private final RedisConnectionStateListener drops = new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                lost(handler, "the tracking connection dropped");
            }
        };

        Tracker(String node) {
            this.node = node;
        }

        /**
         * One heartbeat: gives the connection up when no heartbeat sent in the last half of the bound
         * has been answered, else sends the next one ({@code GET} of the epoch key on one server,
         * {@code CLUSTER NODES} on a cluster node, whose answer must still show it a primary serving
         * at least the slots it served before).
         */
        void beat() {
            StatefulRedisConnection<String, byte[]> c = tracked;
            if (c == null) {
                return;
            }
            long sentAt = System.nanoTime();
            if (sentAt - answeredSentAt.get() > boundNanos / 2) {
                lost(c, "no heartbeat answered within " + TimeUnit.NANOSECONDS.toMillis(boundNanos / 2)
                        + " ms (the staleness bound is " + TimeUnit.NANOSECONDS.toMillis(boundNanos) + " ms)");
                return;
            }
            if (nodes.isCluster()) {
                c.async().clusterNodes().whenComplete((view, error) -> {
                    if (error != null || tracked != c) {
                        return;
                    }
                    BitSet served = servedSlots(view);
                    if (served == null) {
                        nodes.refreshSoon();
                        lost(c, "the node is no longer a primary");
                        return;
                    }
                    BitSet lostSlots = (BitSet) slots.clone();
                    lostSlots.andNot(served);
                    slots = served;
                    if (!lostSlots.isEmpty() && slotChecks) {
                        dropSlots(lostSlots);
                        nodes.refreshSoon();
                    }
                    answeredSentAt.accumulateAndGet(sentAt, Math::max);
                });
                return;
            }
            String expected = epoch;
            c.async().get(epochKey).whenComplete((value, error) -> {
                if (error != null || tracked != c) {
                    return;
                }
                if (value == null || !new String(value, StandardCharsets.UTF_8).equals(expected)) {
                    lost(c, "the database under it changed without invalidations (SWAPDB, a flush, or the epoch key "
                            + epochKey + " was removed)");
                    return;
                }
                answeredSentAt.accumulateAndGet(sentAt, Math::max);
            });
        }

        /**
         * Opens a connection, turns tracking on, reads the database's epoch (setting it if there is
         * none) or, on a cluster, the slots the node serves, and only then lets reads fill through it.
         */
        CompletableFuture<Void> connect() {
            return nodes.connect(node).thenCompose(c -> {
                c.addListener(pushes);
                c.addListener(drops);
                long startedAt = System.nanoTime();
                RedisAsyncCommands<String, byte[]> commands = c.async();
                CompletableFuture<String> trackingOn = commands.clientTracking(TrackingArgs.Builder.enabled()).toCompletableFuture();
                CompletableFuture<?> state;
                if (nodes.isCluster()) {
                    state = commands.clusterNodes().toCompletableFuture();
                } else {
                    commands.set(epochKey, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8), SetArgs.Builder.nx());
                    state = commands.get(epochKey).toCompletableFuture();
                }
                return CompletableFuture.allOf(trackingOn.exceptionally(e -> null), state.exceptionally(e -> null))
                        .handle((ignored, unused) -> {
                            Throwable error = trackingOn.isCompletedExceptionally() ? failure(trackingOn)
                                    : state.isCompletedExceptionally() ? failure(state) : null;
                            if (error != null) {
                                c.closeAsync();
                                throw new IllegalStateException("Redis at " + nodes.address(node) + " refused CLIENT TRACKING ON or "
                                        + (nodes.isCluster() ? "CLUSTER NODES" : "the near cache's epoch key " + epochKey)
                                        + " (the near cache needs Redis 6 or later, RESP3, and GET/SET on that key): "
                                        + RedisFaults.unwrap(error).getMessage(), error);
                            }
                            BitSet served = null;
                            String current = null;
                            if (nodes.isCluster()) {
                                served = servedSlots((String) state.join());
                                if (served == null) {
                                    c.closeAsync();
                                    throw new IllegalStateException("Redis at " + nodes.address(node)
                                            + " is not a primary of the cluster now");
                                }
                            } else {
                                byte[] read = (byte[]) state.join();
                                current = read == null ? "" : new String(read, StandardCharsets.UTF_8);
                            }
                            boolean again;
                            synchronized (lock) {
                                if (closed || removed) {
                                    c.closeAsync();
                                    return null;
                                }
                                // whatever was read before this connection is not tracked by it
                                invalidateAll();
                                epoch = current;
                                if (served != null) {
                                    slots = served;
                                }
                                answeredSentAt.accumulateAndGet(startedAt, Math::max);
                                tracked = c;
                                again = connectedBefore;
                                connectedBefore = true;
                            }
                            if (again) {
                                reconnects.incrementAndGet();
                                LOG.info("The near cache tracks reads on a new connection to Redis at {} again",
                                        nodes.address(node));
                            }
                            if (!c.isOpen()) {
                                lost(c, "the tracking connection dropped");
                            }
                            return null;
                        });
            });
        }

        /** The connection is lost or no longer trusted: empty the near cache before anything else, then reconnect. */
        void lost(Object handler, String why) {
            synchronized (lock) {
                if (tracked != handler) {
                    return;
                }
                tracked = null;
                flushes.incrementAndGet();
                invalidateAll();
                if (closed || removed) {
                    return;
                }
            }
            LOG.warn("The near cache stopped serving from the process ({}, Redis at {}); emptied it, tracking again on a "
                    + "new connection", why, nodes.address(node));
            nodes.refreshSoon(); // on a cluster, a lost primary may have been replaced
            ((StatefulRedisConnection<?, ?>) handler).closeAsync();
            reconnectSoon(0);
        }

        /** The node is no longer tracked (called under lock): empty the near cache and close its connection. */
        void remove(String why) {
            removed = true;
            trackers.remove(node, this);
            StatefulRedisConnection<String, byte[]> c = tracked;
            tracked = null;
            if (c != null) {
                flushes.incrementAndGet();
                invalidateAll();
                LOG.info("The near cache stopped tracking Redis at {} ({}); emptied it", nodes.address(node), why);
                c.removeListener(drops);
                c.closeAsync();
            }
        }

        void reconnectSoon(long delayMillis) {
            try {
                resources.eventExecutorGroup().schedule(() -> {
                    synchronized (lock) {
                        if (closed || removed) {
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

        /** Closes the connection (under lock, when the near cache closes); the future completes when it is closed. */
        CompletableFuture<Void> closeConnection() {
            StatefulRedisConnection<String, byte[]> c = tracked;
            tracked = null;
            if (c == null) {
                return CompletableFuture.completedFuture(null);
            }
            c.removeListener(drops);
            return c.closeAsync();
        }
    }

    /**
     * The slots a node serves, from its {@code CLUSTER NODES} answer (the line flagged
     * {@code myself}); {@code null} when it is not a primary. Slots being migrated or imported
     * ({@code [slot->-id]}, {@code [slot-<-id]}) are not counted: the node still serves its own.
     */
    static BitSet servedSlots(String clusterNodes) {
        for (String line : clusterNodes.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 8 || !java.util.Arrays.asList(f[2].split(",")).contains("myself")) {
                continue;
            }
            if (!java.util.Arrays.asList(f[2].split(",")).contains("master")) {
                return null;
            }
            BitSet served = new BitSet(SlotHash.SLOT_COUNT);
            for (int i = 8; i < f.length; i++) {
                String range = f[i];
                if (range.startsWith("[")) {
                    continue;
                }
                int dash = range.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
                served.set(from, to + 1);
            }
            return served;
        }
        return null;
    }

    /**
     * Closes the tracking connections and empties the near cache. Waits for the connections to
     * close (a few seconds at most) unless called on a Netty thread, so that the backend's client
     * resources are not shut down under them. Idempotent.
     */
    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new java.util.ArrayList<>();
        synchronized (lock) {
            closed = true;
            trackers.values().forEach(t -> closing.add(t.closeConnection()));
        }
        ScheduledFuture<?> beating = heartbeat;
        if (beating != null) {
            beating.cancel(false);
        }
        invalidateAll();
        if (!(Thread.currentThread() instanceof io.netty.util.concurrent.FastThreadLocalThread)) {
            try {
                CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("The near cache's tracking connections did not close cleanly", e);
            }
        }
        nodes.close();
    }
}
