package io.brickworks.cache.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.Ticker;
import io.brickworks.cache.internal.KeyScope;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.spi.KeyInfo;
import io.brickworks.cache.spi.LocalTier;
import io.brickworks.cache.spi.LocalTier.Entry;
import io.brickworks.cache.spi.LocalTier.Value;
import io.brickworks.cache.spi.QueueClaim;
import io.brickworks.cache.spi.QueueClaimRequest;
import io.brickworks.cache.spi.QueueKeys;
import io.brickworks.cache.spi.QueuePushed;
import io.brickworks.cache.spi.QueueSettlement;
import io.brickworks.cache.spi.QueueState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The embedded backend: a {@linkplain LocalTier#wholeStore local tier with nothing behind it}. Its
 * typed entries (values, lists, sets, counters), each with its own deadline, live in that one
 * bounded tier, keyed by their full key; the cache reads values from the tier directly, as it reads
 * the near cache's in front of Redis. Locks and their fencing counters live apart.
 *
 * <p><b>What is bounded, and how.</b> {@link CacheSettings#memoryMaximumEntries()} ({@code N}) bounds
 * each of three key spaces:
 * <ul>
 * <li>entries (values, lists, sets, indices, counters, in every tenant and namespace): at most
 *     {@code N}, the least recently used evicted; the size of one list or set is the caller's;</li>
 * <li>locks: at most {@code N} held at once (plus one per concurrent acquirer). A lock is never
 *     evicted, since that would let a second holder in: when {@code N} are held, an acquisition of
 *     a new lock first reclaims the expired ones and, if all are still held, fails with
 *     {@link CacheBackendException} until one is released or expires. Released and expired locks
 *     take no room;</li>
 * <li>fencing counters: at most about {@code N}, evicted by size (and by their expiry). Evicting one
 *     never lets a token go backwards: the highest token of every evicted or expired counter is kept
 *     in one number, {@link #fenceFloor}, and a new counter starts above it, so each lock's tokens
 *     keep increasing whether or not its counter survived.</li>
 * </ul>
 *
 * <p><b>Expiry</b> is by each entry's deadline on the settings' ticker: an expired entry is never
 * returned; the tier reclaims expired entries as writes go on, Caffeine the expired locks and
 * fencing counters in the background.
 *
 * <p>Every compound operation runs inside one {@code compute} of its key, so it is atomic with
 * respect to every other operation on that key, as a Redis command is. A write with indices updates
 * the key and then each index; a concurrent listing may see the key before it sees the index entry,
 * never an index entry whose key is gone.
 *
 * <p>Futures are completed before they are returned. Not shared between processes.
 */
final class MemoryBackend implements CacheBackend {

    /** An index is first pruned on write when it reaches this many members. */
    private static final int MIN_PRUNE_AT = 64;

    private static final long NO_DEADLINE = LocalTier.NO_DEADLINE;

    /**
     * The namespace of locks, with its separator: keys in it (the third segment of
     * {@code <prefix>:<tenant>:<namespace>:...}) go to {@link #locks} or {@link #fences}.
     */
    private static final String LOCK_NAMESPACE = KeyScope.LOCK_NAMESPACE + ":";

    /** The fencing counter of a lock. */
    private static final class FenceEntry extends Entry {
        long last;

        FenceEntry() {
            super(NO_DEADLINE);
        }
    }

    private static final class ListEntry extends Entry {
        final ArrayDeque<byte[]> items = new ArrayDeque<>();

        ListEntry() {
            super(NO_DEADLINE);
        }
    }

    private static final class SetEntry extends Entry {
        final Set<String> members = new HashSet<>();
        /** For an index: the size at which the next write prunes members whose key is gone. */
        int pruneAt = MIN_PRUNE_AT;

        SetEntry(long deadline) {
            super(deadline);
        }
    }

    private static final class CounterEntry extends Entry {
        long value;

        CounterEntry() {
            super(NO_DEADLINE);
        }
    }

    private final Ticker ticker;
    /** The ticker reading when this backend started. */
    private final long startNanos;
    /**
     * The wall clock in microseconds since the epoch when this backend started: the token floor is
     * this plus the ticker's microseconds since then, so that tokens go on from where the previous
     * process left them (a restart starts no lower), and never follow the wall clock back.
     */
    private final long startEpochMicros;
    /** The negative control of the fencing tests: {@code false} floors tokens at microseconds since start only. */
    private volatile boolean epochFloor = true;
    /** Every entry but locks and fencing counters, by full key. */
    private final LocalTier tier;
    /** Locks: only expired or released, never size-evicted; at most {@link #maxLocks} (see the class comment). */
    private final ConcurrentMap<String, Entry> locks;
    /**
     * Fencing counters, apart from the locks so that a lock's compute can advance its counter
     * without updating a second mapping of the same map; size-evicted and expired, which
     * {@link #fenceFloor} makes safe.
     */
    private final ConcurrentMap<String, Entry> fences;
    private final Cache<String, Entry> locksCache;
    private final Cache<String, Entry> fencesCache;
    /** How many locks may be held at once; see the class comment. */
    private final long maxLocks;
    /**
     * The highest token of every fencing counter evicted by size or removed by its expiry: a new
     * counter starts above it, so no lock's tokens go backwards when its counter is gone.
     */
    private final AtomicLong fenceFloor = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final MemoryQueues queues;

    MemoryBackend(CacheSettings settings) {
        this.ticker = settings.ticker();
        this.startNanos = ticker.read();
        Instant now = Instant.now();
        this.startEpochMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
        this.tier = LocalTier.wholeStore(settings.memoryMaximumEntries(), ticker);
        this.queues = new MemoryQueues(ticker, this::popNow, this::pushFirst, this::hasElements);
        DeadlineExpiry<Entry> expiry = DeadlineExpiry.instance();
        this.locksCache = Caffeine.newBuilder()
                .ticker(ticker::read)
                .scheduler(Scheduler.systemScheduler())
                .expireAfter(expiry)
                .build();
        this.locks = locksCache.asMap();
        this.maxLocks = settings.memoryMaximumEntries();
        this.fencesCache = Caffeine.newBuilder()
                .ticker(ticker::read)
                .scheduler(Scheduler.systemScheduler())
                .expireAfter(expiry)
                .maximumSize(settings.memoryMaximumEntries())
                // runs inside the atomic removal, so a later acquisition of the same lock sees the floor
                .evictionListener((String key, Entry e, RemovalCause cause) -> {
                    if (e instanceof FenceEntry f) {
                        fenceFloor.accumulateAndGet(f.last, Math::max);
                    }
                })
                .build();
        this.fences = fencesCache.asMap();
    }

    /** The values the cache reads directly: this backend's whole store but its locks. */
    @Override
    public LocalTier localTier() {
        return tier;
    }

    private long deadline(long ttlMillis) {
        return tier.deadlineAfter(ttlMillis);
    }

    // ------------------------------------------------------------------ expiry

    /** Whether {@code e} has expired, by the ticker. */
    private boolean isExpired(Entry e) {
        return tier.isExpired(e);
    }

    private Entry liveOrNull(Entry e) {
        return e == null || isExpired(e) ? null : e;
    }

    // ------------------------------------------------------------------ where a key lives

    /**
     * The map of a lock-namespace key: {@link #locks} for a lock ({@code <prefix>:<tenant>:__locks__:<name>}),
     * {@link #fences} for its fencing counter (one more segment); null for every other key. Prefixes
     * and tenants have no colon, so the namespace follows the second one.
     */
    private ConcurrentMap<String, Entry> flatMap(String full) {
        int first = full.indexOf(':');
        int second = first < 0 ? -1 : full.indexOf(':', first + 1);
        if (second < 0 || !full.startsWith(LOCK_NAMESPACE, second + 1)) {
            return null;
        }
        return full.indexOf(':', second + 1 + LOCK_NAMESPACE.length()) < 0 ? locks : fences;
    }

    /** The entry at {@code full} if it exists and has not expired. */
    private Entry live(String full) {
        ConcurrentMap<String, Entry> flat = flatMap(full);
        return flat != null ? liveOrNull(flat.get(full)) : tier.get(full);
    }

    /**
     * Replaces the entry at {@code full} by {@code f(entry)} ({@code null} when there is none or it
     * has expired; a null result removes it) atomically with every other operation on {@code full};
     * returns what {@code f} returned.
     */
    private Entry compute(String full, UnaryOperator<Entry> f) {
        ConcurrentMap<String, Entry> flat = flatMap(full);
        if (flat != null) {
            return flat.compute(full, (k, old) -> f.apply(liveOrNull(old)));
        }
        return tier.compute(full, f);
    }

    /**
     * {@link #compute} for an operation that may create the entry at {@code full}: a lock (an entry
     * in {@link #locks}) is created only while fewer than {@link #maxLocks} are held.
     *
     * @throws CacheBackendException when the lock table is full of held locks
     */
    private Entry computeCreating(String full, UnaryOperator<Entry> f) {
        if (flatMap(full) == locks) {
            makeLockRoom(full);
        }
        return compute(full, f);
    }

    /**
     * Makes sure a new lock at {@code full} fits: reclaims expired locks when {@link #maxLocks} are
     * stored, and fails when they are all still held (a held lock is never evicted).
     */
    private void makeLockRoom(String full) {
        if (locks.size() < maxLocks || locks.containsKey(full)) {
            return;
        }
        locksCache.cleanUp();
        int held = locks.size();
        if (held >= maxLocks) {
            throw new CacheBackendException("the memory backend holds " + held + " locks, its bound "
                    + "(MEMORY_CACHE_MAX_ENTRIES=" + maxLocks + "); a held lock is never evicted, so no other lock "
                    + "can be taken until one is released or expires");
        }
    }

    /** Like {@link #compute} but does nothing when there is no live entry at {@code full}. */
    private Entry computeIfPresent(String full, UnaryOperator<Entry> f) {
        return compute(full, old -> old == null ? null : f.apply(old));
    }

    /** Removes the entry at {@code full}; returns it if it was live. */
    private Entry remove(String full) {
        AtomicReference<Entry> removed = new AtomicReference<>();
        compute(full, old -> {
            removed.set(old);
            return null;
        });
        return removed.get();
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the memory backend is closed");
        }
    }

    @Override
    public String describe() {
        return "memory (this process only)";
    }

    // ------------------------------------------------------------------ the SPI

    @Override
    public CompletableFuture<byte[]> get(String key) {
        checkOpen();
        // the stored array is returned as is (the SPI contract: callers never modify it)
        Entry e = live(key);
        if (e instanceof Value v) {
            return done(v.bytes());
        }
        // a counter reads as its decimal value, as Redis answers GET of an INCR'd key
        long counter = e instanceof FenceEntry f ? f.last : e instanceof CounterEntry c ? c.value : -1;
        return done(counter < 0 ? null : Long.toString(counter).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public CompletableFuture<Boolean> set(String key, byte[] value, long ttlMillis, boolean ifAbsent, List<String> indexKeys) {
        checkOpen();
        long deadline = deadline(ttlMillis);
        Value fresh = new Value(value.clone(), deadline);
        boolean stored = computeCreating(key, old -> ifAbsent && old != null ? old : fresh) == fresh;
        if (stored) {
            for (String indexKey : indexKeys) {
                addIndexMember(indexKey, key, deadline);
            }
        }
        return done(stored);
    }

    @Override
    public CompletableFuture<Boolean> delete(String key) {
        checkOpen();
        return done(deleteNow(key));
    }

    /** Deletes {@code key}: an entry, or an acknowledged queue's record named as on Redis ({@link QueueKeys}). */
    private boolean deleteNow(String key) {
        boolean record = Boolean.TRUE.equals(queues.deleteRecord(key));
        return liveOrNull(remove(key)) != null || record;
    }

    @Override
    public CompletableFuture<Long> deleteAll(Collection<String> keys) {
        checkOpen();
        long n = 0;
        for (String key : keys) {
            if (deleteNow(key)) {
                n++;
            }
        }
        return done(n);
    }

    @Override
    public CompletableFuture<Boolean> expire(String key, long ttlMillis) {
        checkOpen();
        long deadline = deadline(ttlMillis);
        AtomicBoolean found = new AtomicBoolean();
        computeIfPresent(key, e -> {
            found.set(true);
            e.deadline(deadline);
            return e;
        });
        return done(found.get());
    }

    @Override
    public CompletableFuture<Long> ttlMillis(String key) {
        checkOpen();
        Entry e = live(key);
        return done(e == null ? -2L : tier.remainingMillis(e));
    }

    @Override
    public CompletableFuture<Long> pushRight(String key, byte[] value) {
        checkOpen();
        byte[] copy = value.clone();
        AtomicLong length = new AtomicLong();
        computeCreating(key, old -> {
            ListEntry list = old instanceof ListEntry l ? l : new ListEntry();
            list.items.addLast(copy);
            length.set(list.items.size());
            return list;
        });
        queues.signal(key);
        return done(length.get());
    }

    @Override
    public CompletableFuture<byte[]> popLeft(String key) {
        checkOpen();
        return done(popNow(key));
    }

    private byte[] popNow(String key) {
        AtomicReference<byte[]> item = new AtomicReference<>();
        computeIfPresent(key, old -> {
            if (!(old instanceof ListEntry list)) {
                return old;
            }
            item.set(list.items.pollFirst());
            return list.items.isEmpty() ? null : list;
        });
        return item.get();
    }

    private void pushFirst(String key, byte[] value) {
        compute(key, old -> {
            ListEntry list = old instanceof ListEntry l ? l : new ListEntry();
            list.items.addFirst(value);
            return list;
        });
        queues.signal(key);
    }

    private boolean hasElements(String key) {
        return live(key) instanceof ListEntry list && !list.items.isEmpty();
    }

    // ------------------------------------------------------------------ queues: waiting and acknowledged delivery

    @Override
    public <T> CompletableFuture<T> popLeft(String key, long waitMillis, Function<byte[], T> decode) {
        checkOpen();
        return queues.popLeft(key, waitMillis, decode);
    }

    @Override
    public CompletableFuture<QueueClaim> queueClaim(QueueKeys keys, QueueClaimRequest request) {
        checkOpen();
        return done(queues.claim(keys, request));
    }

    @Override
    public CompletableFuture<QueueState> queueState(QueueKeys keys, int limit) {
        checkOpen();
        long waiting = live(keys.list()) instanceof ListEntry list ? list.items.size() : 0;
        return done(queues.state(keys, limit, waiting));
    }

    @Override
    public CompletableFuture<Boolean> queuePause(QueueKeys keys, boolean paused) {
        checkOpen();
        return done(queues.pause(keys, paused));
    }

    @Override
    public CompletableFuture<Boolean> queueAwait(QueueKeys keys, long waitMillis) {
        checkOpen();
        return queues.await(keys, waitMillis);
    }

    @Override
    public CompletableFuture<QueuePushed> queuePush(QueueKeys keys, byte[] item, long delayMillis, int priority,
                                                    String jobId) {
        checkOpen();
        return done(queues.push(keys, item, delayMillis, priority, jobId));
    }

    @Override
    public CompletableFuture<Boolean> queueAck(QueueKeys keys, String id, String receipt, long dedupWindowMillis) {
        checkOpen();
        return done(queues.ack(keys, id, receipt, dedupWindowMillis));
    }

    @Override
    public CompletableFuture<QueueSettlement> queueRelease(QueueKeys keys, String id, String receipt, long delayMillis,
                                                           String note, long maxAttempts, boolean uncount) {
        checkOpen();
        return done(queues.release(keys, id, receipt, delayMillis, note, maxAttempts, uncount));
    }

    @Override
    public CompletableFuture<Boolean> queueExtend(QueueKeys keys, String id, String receipt, long visibilityMillis,
                                                  String progress) {
        checkOpen();
        return done(queues.extend(keys, id, receipt, visibilityMillis, progress));
    }

    @Override
    public CompletableFuture<Long> queueRequeueDead(QueueKeys keys, List<String> ids) {
        checkOpen();
        return done(queues.requeueDead(keys, ids));
    }

    @Override
    public CompletableFuture<Long> queuePurgeDead(QueueKeys keys, List<String> ids) {
        checkOpen();
        return done(queues.purgeDead(keys, ids));
    }

    private long addMembers(String key, Collection<String> members, long deadline) {
        AtomicLong added = new AtomicLong();
        computeCreating(key, old -> {
            Entry live = old;
            SetEntry set = live instanceof SetEntry s ? s : new SetEntry(deadline);
            for (String m : members) {
                if (set.members.add(m)) {
                    added.incrementAndGet();
                }
            }
            raise(set, deadline);
            return set;
        });
        return added.get();
    }

    /**
     * Adds {@code key} to the index set at {@code indexKey}, raising the index's expiry. When the index
     * has doubled since it was last pruned, members whose key is gone are removed: an index that is
     * written often and never listed stays within about twice its live keys (amortized O(1) a write).
     */
    private void addIndexMember(String indexKey, String key, long deadline) {
        computeCreating(indexKey, old -> {
            Entry live = old;
            SetEntry set = live instanceof SetEntry s ? s : new SetEntry(deadline);
            set.members.add(key);
            raise(set, deadline);
            if (set.members.size() >= set.pruneAt) {
                // Reads of other keys inside this compute are safe; only writes to them would not be.
                set.members.removeIf(member -> !KeyScope.isOwnMember(indexKey, member) || live(member) == null);
                set.pruneAt = Math.max(MIN_PRUNE_AT, 2 * set.members.size());
            }
            return set;
        });
    }

    @Override
    public CompletableFuture<Long> setAdd(String key, Collection<String> members, long ttlMillis) {
        checkOpen();
        return done(addMembers(key, members, deadline(ttlMillis)));
    }

    @Override
    public CompletableFuture<Long> setRemove(String key, Collection<String> members) {
        checkOpen();
        AtomicLong removed = new AtomicLong();
        computeIfPresent(key, old -> {
            if (!(old instanceof SetEntry set)) {
                return old;
            }
            for (String m : members) {
                if (set.members.remove(m)) {
                    removed.incrementAndGet();
                }
            }
            return set.members.isEmpty() ? null : set;
        });
        return done(removed.get());
    }

    /** A copy of the members of the set at {@code key}, taken atomically. */
    private Set<String> snapshot(String key) {
        AtomicReference<Set<String>> copy = new AtomicReference<>(Set.of());
        computeIfPresent(key, old -> {
            Entry live = old;
            if (live instanceof SetEntry set) {
                copy.set(Set.copyOf(set.members));
            }
            return live;
        });
        return copy.get();
    }

    @Override
    public CompletableFuture<Set<String>> setMembers(String key) {
        checkOpen();
        return done(snapshot(key));
    }

    @Override
    public CompletableFuture<Boolean> setIsMember(String key, String member) {
        checkOpen();
        return done(snapshot(key).contains(member));
    }

    @Override
    public CompletableFuture<List<String>> indexMembers(String indexKey) {
        checkOpen();
        List<String> alive = new ArrayList<>();
        List<String> dead = new ArrayList<>();
        for (String member : snapshot(indexKey)) {
            // a member outside the index's own head is never looked up, only pruned
            (KeyScope.isOwnMember(indexKey, member) && live(member) != null ? alive : dead).add(member);
        }
        if (!dead.isEmpty()) {
            setRemove(indexKey, dead);
        }
        return done(alive);
    }

    @Override
    public CompletableFuture<Boolean> compareAndDelete(String key, byte[] expected) {
        checkOpen();
        AtomicBoolean deleted = new AtomicBoolean();
        computeIfPresent(key, old -> {
            Entry live = old;
            if (live instanceof Value v && Arrays.equals(v.bytes(), expected)) {
                deleted.set(true);
                return null;
            }
            return live;
        });
        return done(deleted.get());
    }

    @Override
    public CompletableFuture<Boolean> compareAndExpire(String key, byte[] expected, long ttlMillis) {
        checkOpen();
        long deadline = deadline(ttlMillis);
        AtomicBoolean done = new AtomicBoolean();
        computeIfPresent(key, old -> {
            Entry live = old;
            if (live instanceof Value v && Arrays.equals(v.bytes(), expected)) {
                done.set(true);
                v.deadline(deadline);
                return v;
            }
            return live;
        });
        return done(done.get());
    }

    @Override
    public CompletableFuture<Long> increment(String key) {
        checkOpen();
        AtomicLong value = new AtomicLong();
        computeCreating(key, old -> {
            CounterEntry counter = old instanceof CounterEntry c ? c : new CounterEntry();
            value.set(++counter.value);
            return counter;
        });
        return done(value.get());
    }

    @Override
    public CompletableFuture<Long> acquireWithFence(String key, byte[] owner, long lockTtlMillis, String fenceKey,
                                                    long fenceTtlMillis) {
        checkOpen();
        long deadline = deadline(lockTtlMillis);
        byte[] copy = owner.clone();
        AtomicLong token = new AtomicLong(-1);
        try {
            makeLockRoom(key);
        } catch (CacheBackendException e) {
            return CompletableFuture.failedFuture(e);
        }
        compute(key, old -> {
            Entry live = old;
            if (live != null) {
                return live;
            }
            token.set(nextFence(fenceKey, fenceTtlMillis));
            return new Value(copy, deadline);
        });
        return done(token.get());
    }

    /** One process, no replicas: the owner-checked expiry of {@link #compareAndExpire}, and 0 replicas at once. */
    @Override
    public CompletableFuture<Integer> syncLock(String key, byte[] owner, long ttlMillis, int replicas,
                                               long timeoutMillis) {
        return compareAndExpire(key, owner, ttlMillis).thenApply(held -> held ? 0 : -1);
    }

    /**
     * Advances the fencing counter at {@code fenceKey}, with the floor that the Redis scripts apply:
     * {@code max(last + 1, now in microseconds since the epoch, fenceFloor + 1)}, where now is the
     * wall clock read when this backend started plus the ticker's time since (so never back).
     */
    private long nextFence(String fenceKey, long fenceTtlMillis) {
        long deadline = deadline(fenceTtlMillis);
        long sinceStart = (ticker.read() - startNanos) / 1_000L;
        long now = epochFloor ? startEpochMicros + sinceStart : sinceStart + 1;
        long floor = Math.max(now, fenceFloor.get() + 1);
        AtomicLong token = new AtomicLong();
        fences.compute(fenceKey, (k, old) -> {
            FenceEntry fence = liveOrNull(old) instanceof FenceEntry f ? f : new FenceEntry();
            fence.last = Math.max(fence.last + 1, floor);
            fence.deadline(deadline);
            token.set(fence.last);
            return fence;
        });
        return token.get();
    }

    /** The negative control of the fencing tests: {@code false} restores the floor at microseconds since start. */
    void epochFloor(boolean on) {
        epochFloor = on;
    }

    @Override
    public CompletableFuture<Void> ping() {
        checkOpen();
        return done(null);
    }

    /** Walks a snapshot of the live keys taken when the walk starts, in steps of {@code count}. */
    @Override
    public CompletableFuture<Void> scan(String prefix, int count,
                                        Function<List<String>, ? extends CompletionStage<?>> step) {
        checkOpen();
        List<String> keys = new ArrayList<>();
        tier.forEach((full, entry) -> addIfLive(keys, prefix, full, entry));
        for (ConcurrentMap<String, Entry> flat : List.of(locks, fences)) {
            flat.forEach((full, entry) -> addIfLive(keys, prefix, full, entry));
        }
        queues.recordNames(prefix, keys::add);
        return walk(keys, 0, Math.max(1, count), step);
    }

    private void addIfLive(List<String> keys, String prefix, String full, Entry e) {
        if (full.startsWith(prefix) && !isExpired(e)) {
            keys.add(full);
        }
    }

    private static CompletableFuture<Void> walk(List<String> keys, int from, int count,
                                                Function<List<String>, ? extends CompletionStage<?>> step) {
        if (from >= keys.size()) {
            return done(null);
        }
        List<String> page = List.copyOf(keys.subList(from, Math.min(keys.size(), from + count)));
        return step.apply(page).toCompletableFuture().thenCompose(ignored -> walk(keys, from + count, count, step));
    }

    @Override
    public CompletableFuture<KeyInfo> inspect(String key) {
        checkOpen();
        KeyInfo record = queues.inspectRecord(key);
        if (record != null && record.type() != KeyInfo.Type.NONE) {
            return done(record);
        }
        KeyInfo[] info = {KeyInfo.MISSING};
        compute(key, old -> {
            Entry e = old;
            if (e != null) {
                long ttl = tier.remainingMillis(e);
                if (e instanceof Value v) {
                    info[0] = new KeyInfo(KeyInfo.Type.STRING, v.bytes().length, ttl);
                } else if (e instanceof ListEntry list) {
                    info[0] = new KeyInfo(KeyInfo.Type.LIST, list.items.size(), ttl);
                } else if (e instanceof SetEntry set) {
                    info[0] = new KeyInfo(KeyInfo.Type.SET, set.members.size(), ttl);
                } else {
                    long value = e instanceof FenceEntry f ? f.last : ((CounterEntry) e).value;
                    info[0] = new KeyInfo(KeyInfo.Type.STRING, Long.toString(value).length(), ttl);
                }
            }
            return old;
        });
        return done(info[0]);
    }

    // ------------------------------------------------------------------ housekeeping

    /** Raises the expiry of a set to at least {@code deadline}; a set without expiry keeps none. */
    private static void raise(SetEntry set, long deadline) {
        long current = set.deadline();
        if (current != NO_DEADLINE && current - deadline < 0) {
            set.deadline(deadline);
        }
    }

    /** Reclaims every expired entry now (Caffeine does it in the background anyway). For tests. */
    void cleanUp() {
        tier.cleanUp();
        locksCache.cleanUp();
        fencesCache.cleanUp();
    }

    /** The number of entries held (locks included, fencing counters not), expired ones included until reclaimed. For tests. */
    long estimatedSize() {
        return tier.size() + locksCache.estimatedSize();
    }

    /** The number of locks stored, expired ones included until reclaimed. For tests. */
    long lockCount() {
        return locksCache.estimatedSize();
    }

    /** The number of fencing counters stored, expired ones included until reclaimed. For tests. */
    long fenceCount() {
        return fencesCache.estimatedSize();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            queues.close();
            tier.invalidateAll();
            locksCache.invalidateAll();
            fencesCache.invalidateAll();
            tier.cleanUp();
        }
    }
}
