package io.brickworks.cache.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.Ticker;
import io.brickworks.cache.spi.CacheBackend;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The embedded backend: one bounded Caffeine cache of typed entries (values, lists, sets,
 * counters), each with its own deadline. Expired entries are never returned and are reclaimed in the
 * background by Caffeine's scheduler; the maximum size evicts the least recently used entries.
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

    private static final long NO_DEADLINE = Long.MAX_VALUE;

    /** An entry; {@code deadline} is in ticker nanoseconds, {@link #NO_DEADLINE} for none. */
    private abstract static class Entry {
        volatile long deadline;

        Entry(long deadline) {
            this.deadline = deadline;
        }

        /** The weight against the maximum size; 0 for entries that size eviction must never remove. */
        int weight() {
            return 1;
        }
    }

    private static final class ValueEntry extends Entry {
        final byte[] value;
        /** A lock: never evicted for size, only expired (evicting it would let a second holder in). */
        final boolean pinned;

        ValueEntry(byte[] value, long deadline) {
            this(value, deadline, false);
        }

        ValueEntry(byte[] value, long deadline, boolean pinned) {
            super(deadline);
            this.value = value;
            this.pinned = pinned;
        }

        @Override
        int weight() {
            return pinned ? 0 : 1;
        }
    }

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
    /** The ticker reading when this backend started: fencing tokens count microseconds from it. */
    private final long startNanos;
    private final Cache<String, Entry> cache;
    private final ConcurrentMap<String, Entry> map;
    /**
     * Fencing counters, apart from the entries so that a lock's compute can advance its counter
     * without updating a second mapping of the same map; not size-bounded, only expired.
     */
    private final ConcurrentMap<String, Entry> fences;
    private final AtomicBoolean closed = new AtomicBoolean();

    MemoryBackend(CacheSettings settings) {
        this.ticker = settings.ticker();
        this.startNanos = ticker.read();
        Expiry<String, Entry> expiry = new Expiry<>() {
            @Override
            public long expireAfterCreate(String key, Entry e, long now) {
                return remaining(e, now);
            }

            @Override
            public long expireAfterUpdate(String key, Entry e, long now, long current) {
                return remaining(e, now);
            }

            @Override
            public long expireAfterRead(String key, Entry e, long now, long current) {
                return current;
            }
        };
        this.cache = Caffeine.newBuilder()
                .maximumWeight(settings.memoryMaximumEntries())
                .weigher((String key, Entry e) -> e.weight())
                .ticker(ticker::read)
                .scheduler(Scheduler.systemScheduler())
                .expireAfter(expiry)
                .build();
        this.map = cache.asMap();
        this.fences = Caffeine.newBuilder()
                .ticker(ticker::read)
                .scheduler(Scheduler.systemScheduler())
                .expireAfter(expiry)
                .<String, Entry>build()
                .asMap();
    }

    private static long remaining(Entry e, long now) {
        long deadline = e.deadline;
        return deadline == NO_DEADLINE ? Long.MAX_VALUE : Math.max(0, deadline - now);
    }

    /** The longest TTL kept exactly (about 146 years, Caffeine's own limit); longer ones are capped to it. */
    private static final long MAX_TTL_NANOS = Long.MAX_VALUE >> 1;

    private long deadline(long ttlMillis) {
        long nanos = ttlMillis >= MAX_TTL_NANOS / 1_000_000L ? MAX_TTL_NANOS : ttlMillis * 1_000_000L;
        long deadline = ticker.read() + nanos;
        return deadline == NO_DEADLINE ? deadline - 1 : deadline;
    }

    /** The entry at {@code key} if it exists and has not expired. */
    private Entry live(String key) {
        Entry e = map.get(key);
        return e == null || isExpired(e) ? null : e;
    }

    private boolean isExpired(Entry e) {
        long deadline = e.deadline;
        return deadline != NO_DEADLINE && deadline - ticker.read() <= 0;
    }

    private Entry liveOrNull(Entry e) {
        return e == null || isExpired(e) ? null : e;
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

    @Override
    public CompletableFuture<byte[]> get(String key) {
        checkOpen();
        Entry e = live(key);
        return done(e instanceof ValueEntry v ? v.value.clone() : null);
    }

    @Override
    public CompletableFuture<Boolean> set(String key, byte[] value, long ttlMillis, boolean ifAbsent, List<String> indexKeys) {
        checkOpen();
        long deadline = deadline(ttlMillis);
        byte[] copy = value.clone();
        AtomicBoolean stored = new AtomicBoolean();
        map.compute(key, (k, old) -> {
            if (ifAbsent && liveOrNull(old) != null) {
                return old;
            }
            stored.set(true);
            return new ValueEntry(copy, deadline);
        });
        if (stored.get()) {
            for (String indexKey : indexKeys) {
                addIndexMember(indexKey, key, deadline);
            }
        }
        return done(stored.get());
    }

    @Override
    public CompletableFuture<Boolean> delete(String key) {
        checkOpen();
        Entry removed = map.remove(key);
        if (removed == null) {
            removed = fences.remove(key);
        }
        return done(liveOrNull(removed) != null);
    }

    @Override
    public CompletableFuture<Long> deleteAll(Collection<String> keys) {
        checkOpen();
        long n = 0;
        for (String key : keys) {
            if (liveOrNull(map.remove(key)) != null) {
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
        map.computeIfPresent(key, (k, e) -> {
            if (isExpired(e)) {
                return null;
            }
            found.set(true);
            e.deadline = deadline;
            return e;
        });
        return done(found.get());
    }

    @Override
    public CompletableFuture<Long> ttlMillis(String key) {
        checkOpen();
        Entry e = live(key);
        if (e == null) {
            e = liveOrNull(fences.get(key));
        }
        if (e == null) {
            return done(-2L);
        }
        long deadline = e.deadline;
        if (deadline == NO_DEADLINE) {
            return done(-1L);
        }
        return done(Math.max(0, (deadline - ticker.read()) / 1_000_000L));
    }

    @Override
    public CompletableFuture<Long> pushRight(String key, byte[] value) {
        checkOpen();
        byte[] copy = value.clone();
        AtomicLong length = new AtomicLong();
        map.compute(key, (k, old) -> {
            ListEntry list = liveOrNull(old) instanceof ListEntry l ? l : new ListEntry();
            list.items.addLast(copy);
            length.set(list.items.size());
            return list;
        });
        return done(length.get());
    }

    @Override
    public CompletableFuture<byte[]> popLeft(String key) {
        checkOpen();
        AtomicReference<byte[]> item = new AtomicReference<>();
        map.computeIfPresent(key, (k, old) -> {
            if (!(liveOrNull(old) instanceof ListEntry list)) {
                return liveOrNull(old);
            }
            item.set(list.items.pollFirst());
            return list.items.isEmpty() ? null : list;
        });
        return done(item.get());
    }

    private long addMembers(String key, Collection<String> members, long deadline) {
        AtomicLong added = new AtomicLong();
        map.compute(key, (k, old) -> {
            Entry live = liveOrNull(old);
            SetEntry set = live instanceof SetEntry s ? s : new SetEntry(deadline);
            for (String m : members) {
                if (set.members.add(m)) {
                    added.incrementAndGet();
                }
            }
            if (set.deadline != NO_DEADLINE && set.deadline - deadline < 0) {
                set.deadline = deadline;
            }
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
        map.compute(indexKey, (k, old) -> {
            Entry live = liveOrNull(old);
            SetEntry set = live instanceof SetEntry s ? s : new SetEntry(deadline);
            set.members.add(key);
            if (set.deadline != NO_DEADLINE && set.deadline - deadline < 0) {
                set.deadline = deadline;
            }
            if (set.members.size() >= set.pruneAt) {
                // Reads of other keys inside this compute are safe; only writes to them would not be.
                set.members.removeIf(member -> live(member) == null);
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
        map.computeIfPresent(key, (k, old) -> {
            if (!(liveOrNull(old) instanceof SetEntry set)) {
                return liveOrNull(old);
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
        map.computeIfPresent(key, (k, old) -> {
            Entry live = liveOrNull(old);
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
            (live(member) != null ? alive : dead).add(member);
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
        map.computeIfPresent(key, (k, old) -> {
            Entry live = liveOrNull(old);
            if (live instanceof ValueEntry v && Arrays.equals(v.value, expected)) {
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
        map.computeIfPresent(key, (k, old) -> {
            Entry live = liveOrNull(old);
            if (live instanceof ValueEntry v && Arrays.equals(v.value, expected)) {
                done.set(true);
                return new ValueEntry(v.value, deadline, v.pinned);
            }
            return live;
        });
        return done(done.get());
    }

    @Override
    public CompletableFuture<Long> increment(String key) {
        checkOpen();
        AtomicLong value = new AtomicLong();
        map.compute(key, (k, old) -> {
            CounterEntry counter = liveOrNull(old) instanceof CounterEntry c ? c : new CounterEntry();
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
        map.compute(key, (k, old) -> {
            Entry live = liveOrNull(old);
            if (live != null) {
                return live;
            }
            token.set(nextFence(fenceKey, fenceTtlMillis));
            return new ValueEntry(copy, deadline, true);
        });
        return done(token.get());
    }

    /** Advances the fencing counter at {@code fenceKey}: {@code max(last + 1, microseconds since start + 1)}. */
    private long nextFence(String fenceKey, long fenceTtlMillis) {
        long deadline = deadline(fenceTtlMillis);
        long floor = (ticker.read() - startNanos) / 1_000L + 1;
        AtomicLong token = new AtomicLong();
        fences.compute(fenceKey, (k, old) -> {
            FenceEntry fence = liveOrNull(old) instanceof FenceEntry f ? f : new FenceEntry();
            fence.last = Math.max(fence.last + 1, floor);
            fence.deadline = deadline;
            token.set(fence.last);
            return fence;
        });
        return token.get();
    }

    /** Reclaims expired entries now (Caffeine also does it in the background). For tests. */
    void cleanUp() {
        cache.cleanUp();
    }

    /** The number of entries held, expired ones included until reclaimed. For tests. */
    long estimatedSize() {
        return cache.estimatedSize();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            cache.invalidateAll();
            fences.clear();
            cache.cleanUp();
        }
    }
}
