package io.brickworks.cache.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.Ticker;
import io.brickworks.cache.internal.InProcessStore;
import io.brickworks.cache.internal.KeyScope;
import io.brickworks.cache.internal.SharedFuture;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.CacheBackendException;
import io.brickworks.cache.spi.QueueClaim;
import io.brickworks.cache.spi.QueueDeadLetter;
import io.brickworks.cache.spi.QueueKeys;
import io.brickworks.cache.spi.QueueSettlement;
import io.brickworks.cache.spi.KeyInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * The embedded backend: typed entries (values, lists, sets, counters), each with its own deadline,
 * in one bounded Caffeine cache; the maximum size evicts the least recently used entries.
 *
 * <p><b>Layout, for a cheap read.</b> A full key {@code <prefix>:<tenant>:<namespace>:<key>} is split
 * at its last colon into a head ({@code <prefix>:<tenant>:<namespace>:}) and its key segment. The
 * Caffeine cache is keyed by the key segment; each entry records its head, and a key segment used
 * under two or more heads holds a {@link Slot} of them. So the cache's read path
 * ({@link InProcessStore}) looks an entry up with the caller's own key string (whose hash the JVM
 * caches), compares one head by reference, and answers with the entry itself: a value written as
 * text is a {@link TextEntry}, the completed future every reader of it is handed. A hit allocates
 * nothing. The size bound counts entries, not slots. Locks and their fencing counters live apart.
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
 * <p><b>Expiry.</b> Deadlines are checked by this class, not by Caffeine, whose per-entry expiry
 * costs several times a whole lookup on every read. Every write and conditional operation reads the
 * ticker. A plain read on the system ticker compares the deadline with {@link MemoryClock}'s
 * published time and reads the real clock only when the deadline is within
 * {@link MemoryClock#SLACK_NANOS} of it. Expired entries are never returned, and are reclaimed by a
 * sweep that {@link MemoryClock}'s thread runs every {@link MemoryClock#SWEEP_NANOS}, a bounded
 * number of keys at a time, besides being replaced by writes or evicted by size.
 *
 * <p>Every compound operation runs inside one {@code compute} of its key segment, so it is atomic
 * with respect to every other operation on that key, as a Redis command is. A write with indices
 * updates the key and then each index; a concurrent listing may see the key before it sees the
 * index entry, never an index entry whose key is gone.
 *
 * <p>Futures are completed before they are returned. Not shared between processes.
 */
final class MemoryBackend implements CacheBackend, InProcessStore {

    /** An index is first pruned on write when it reaches this many members. */
    private static final int MIN_PRUNE_AT = 64;

    /** How many slots one background sweep examines. */
    private static final int SWEEP_BUDGET = 2_000;

    private static final long NO_DEADLINE = Long.MAX_VALUE;

    /**
     * The namespace of locks, with its separator: keys in it (the third segment of
     * {@code <prefix>:<tenant>:<namespace>:...}) go to {@link #locks} or {@link #fences}.
     */
    private static final String LOCK_NAMESPACE = KeyScope.LOCK_NAMESPACE + ":";

    /**
     * An entry: the head of its full key (see the class comment), and its deadline in ticker
     * nanoseconds, {@link #NO_DEADLINE} for none. The deadline changes only inside its key's compute.
     */
    private interface Entry {
        String head();

        long deadline();

        void deadline(long deadline);
    }

    private abstract static class BaseEntry implements Entry {
        private final String head;
        private volatile long deadline;

        BaseEntry(String head, long deadline) {
            this.head = head;
            this.deadline = deadline;
        }

        @Override
        public String head() {
            return head;
        }

        @Override
        public long deadline() {
            return deadline;
        }

        @Override
        public void deadline(long deadline) {
            this.deadline = deadline;
        }
    }

    /** A plain value, as text or as bytes; never modified (a new expiry makes a new entry). */
    private interface PlainEntry extends Entry {
        /** The bytes; the stored array itself when written as bytes (SPI callers never modify it). */
        byte[] bytes();

        /** The bytes in a new array. */
        byte[] bytesCopy();

        /** The text, in the shared future every reader of this entry is handed. */
        SharedFuture<String> textFuture();

        /** The same value and head under another deadline. */
        PlainEntry withDeadline(long deadline);
    }

    /**
     * A value written as text. It is its own read result: the completed future that every
     * {@link #getText} of it returns, so a hit allocates nothing and touches one object.
     */
    private static final class TextEntry extends SharedFuture<String> implements PlainEntry {
        final String head;
        final String text;
        private volatile long deadline;

        TextEntry(String head, String text, long deadline) {
            super(text);
            this.head = head;
            this.text = text;
            this.deadline = deadline;
        }

        @Override
        public String head() {
            return head;
        }

        @Override
        public long deadline() {
            return deadline;
        }

        @Override
        public void deadline(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public byte[] bytes() {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] bytesCopy() {
            return bytes();
        }

        @Override
        public SharedFuture<String> textFuture() {
            return this;
        }

        @Override
        public PlainEntry withDeadline(long deadline) {
            return new TextEntry(head, text, deadline);
        }
    }

    /** A decoded form of a value, and the decoder that made it. */
    private record Memo(Object decoder, Object decoded) {
    }

    /** A value written as bytes. */
    private static final class BytesEntry extends BaseEntry implements PlainEntry {
        final byte[] value;
        /** The last memoized decoding of {@link #value}; a race only decodes twice. */
        private volatile Memo memo;

        BytesEntry(String head, byte[] value, long deadline) {
            super(head, deadline);
            this.value = value;
        }

        @Override
        public byte[] bytes() {
            return value;
        }

        @Override
        public byte[] bytesCopy() {
            return value.clone();
        }

        @Override
        public SharedFuture<String> textFuture() {
            return SharedFuture.of(new String(value, StandardCharsets.UTF_8));
        }

        @Override
        public PlainEntry withDeadline(long deadline) {
            return new BytesEntry(head(), value, deadline);
        }
    }

    /** The fencing counter of a lock. */
    private static final class FenceEntry extends BaseEntry {
        long last;

        FenceEntry(String head) {
            super(head, NO_DEADLINE);
        }
    }

    private static final class ListEntry extends BaseEntry {
        final ArrayDeque<byte[]> items = new ArrayDeque<>();

        ListEntry(String head) {
            super(head, NO_DEADLINE);
        }
    }

    private static final class SetEntry extends BaseEntry {
        final Set<String> members = new HashSet<>();
        /** For an index: the size at which the next write prunes members whose key is gone. */
        int pruneAt = MIN_PRUNE_AT;

        SetEntry(String head, long deadline) {
            super(head, deadline);
        }
    }

    private static final class CounterEntry extends BaseEntry {
        long value;

        CounterEntry(String head) {
            super(head, NO_DEADLINE);
        }
    }

    /** Replaces an entry: the head of its key and the entry there (null when none), to the new entry (null removes). */
    @FunctionalInterface
    private interface Remap {
        Entry apply(String head, Entry old);
    }

    /**
     * The entries of one key segment under two or more heads (one entry is stored as itself): an
     * immutable chain, replaced as a whole by every change.
     */
    private static final class Slot {
        final Entry entry;
        final Slot next;
        final int size;

        Slot(Entry entry, Slot next) {
            this.entry = entry;
            this.next = next;
            this.size = next == null ? 1 : next.size + 1;
        }

        /** The entry under {@code head} in a stored value (an entry or a slot), or null. */
        static Entry find(Object stored, String head) {
            if (stored instanceof Entry e) {
                String h = e.head();
                return h == head || h.equals(head) ? e : null;
            }
            for (Slot s = (Slot) stored; s != null; s = s.next) {
                if (s.entry.head().equals(head)) {
                    return s.entry;
                }
            }
            return null;
        }

        /** The entry of the full key whose head is {@code full}'s first {@code headLength} characters. */
        static Entry find(Object stored, String full, int headLength) {
            if (stored instanceof Entry e) {
                return matches(e, full, headLength) ? e : null;
            }
            for (Slot s = (Slot) stored; s != null; s = s.next) {
                if (matches(s.entry, full, headLength)) {
                    return s.entry;
                }
            }
            return null;
        }

        private static boolean matches(Entry e, String full, int headLength) {
            return e.head().length() == headLength && full.startsWith(e.head());
        }

        static int weight(Object stored) {
            return stored instanceof Slot s ? s.size : 1;
        }

        /** The stored value that keeps the entries of {@code stored} for which {@code keep} holds and adds {@code extra}. */
        static Object rebuild(Object stored, java.util.function.Predicate<Entry> keep, Entry extra) {
            Slot rest = null;
            Entry only = null;
            int n = 0;
            if (stored instanceof Entry e) {
                if (keep.test(e)) {
                    only = e;
                    rest = new Slot(e, null);
                    n = 1;
                }
            } else {
                for (Slot s = (Slot) stored; s != null; s = s.next) {
                    if (keep.test(s.entry)) {
                        only = s.entry;
                        rest = new Slot(s.entry, rest);
                        n++;
                    }
                }
            }
            if (extra != null) {
                only = extra;
                rest = new Slot(extra, rest);
                n++;
            }
            return n == 0 ? null : n == 1 ? only : rest;
        }

        /** {@code stored} with {@code head} mapped to {@code entry} (removed when null); null when empty. */
        static Object with(Object stored, String head, Entry entry) {
            if (stored == null || stored instanceof Entry e && e.head().equals(head)) {
                return entry;
            }
            return rebuild(stored, e -> !e.head().equals(head), entry);
        }
    }

    private final Ticker ticker;
    /** Whether plain reads may use {@link MemoryClock#now()} (only on the system ticker). */
    private final boolean coarseReads;
    /** The ticker reading when this backend started: fencing tokens count microseconds from it. */
    private final long startNanos;
    /** By key segment: an {@link Entry}, or a {@link Slot} of two or more. */
    private final Cache<String, Object> cache;
    private final ConcurrentMap<String, Object> slots;
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
    /** The background sweep's position; guarded by {@code sweepLock}. */
    private final Object sweepLock = new Object();
    private Iterator<Map.Entry<String, Object>> sweepCursor;

    MemoryBackend(CacheSettings settings) {
        this.ticker = settings.ticker();
        this.coarseReads = ticker == Ticker.system();
        this.startNanos = ticker.read();
        this.queues = new MemoryQueues(ticker, this::popNow, this::pushFirst, this::hasElements);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(settings.memoryMaximumEntries())
                .weigher((String key, Object stored) -> Slot.weight(stored))
                .build();
        this.slots = cache.asMap();
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
                .evictionListener((String key, Entry e, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (e instanceof FenceEntry f) {
                        fenceFloor.accumulateAndGet(f.last, Math::max);
                    }
                })
                .build();
        this.fences = fencesCache.asMap();
        MemoryClock.register(this);
    }

    private static long remaining(Entry e, long now) {
        long deadline = e.deadline();
        return deadline == NO_DEADLINE ? Long.MAX_VALUE : Math.max(0, deadline - now);
    }

    /** The longest TTL kept exactly (about 146 years, Caffeine's own limit); longer ones are capped to it. */
    private static final long MAX_TTL_NANOS = Long.MAX_VALUE >> 1;

    private long deadline(long ttlMillis) {
        long nanos = ttlMillis >= MAX_TTL_NANOS / 1_000_000L ? MAX_TTL_NANOS : ttlMillis * 1_000_000L;
        long deadline = ticker.read() + nanos;
        return deadline == NO_DEADLINE ? deadline - 1 : deadline;
    }

    // ------------------------------------------------------------------ expiry

    /** Whether {@code e} has expired, by the ticker. */
    private boolean isExpired(Entry e) {
        long deadline = e.deadline();
        return deadline != NO_DEADLINE && deadline - ticker.read() <= 0;
    }

    /** Whether {@code e} has expired, for a plain read: by the published time when its deadline is far from it. */
    private boolean isExpiredForRead(Entry e) {
        long deadline = e.deadline();
        if (deadline == NO_DEADLINE) {
            return false;
        }
        if (coarseReads) {
            long left = deadline - MemoryClock.now();
            if (left > MemoryClock.SLACK_NANOS) {
                return false;
            }
            if (left <= 0) {
                return true;
            }
        }
        return deadline - ticker.read() <= 0;
    }

    private Entry liveOrNull(Entry e) {
        return e == null || isExpired(e) ? null : e;
    }

    // ------------------------------------------------------------------ where a key lives

    /**
     * Where the namespace segment of {@code key} ends when it is the lock namespace (the index after
     * its colon), or -1. Prefixes and tenants have no colon, so the namespace follows the second one.
     */
    private static int afterLockNamespace(String key) {
        int first = key.indexOf(':');
        int second = first < 0 ? -1 : key.indexOf(':', first + 1);
        return second >= 0 && key.startsWith(LOCK_NAMESPACE, second + 1) ? second + 1 + LOCK_NAMESPACE.length() : -1;
    }

    /** Whether keys under {@code head} live in the lock maps. */
    private static boolean isLockHead(String head) {
        return afterLockNamespace(head) >= 0;
    }

    /**
     * The map of a lock-namespace key: {@link #locks} for a lock ({@code <prefix>:<tenant>:__locks__:<name>}),
     * {@link #fences} for its fencing counter (one more segment); null for every other key.
     */
    private ConcurrentMap<String, Entry> flatMap(String full) {
        int at = afterLockNamespace(full);
        if (at < 0) {
            return null;
        }
        return full.indexOf(':', at) < 0 ? locks : fences;
    }

    private static int headLength(String full) {
        return full.lastIndexOf(':') + 1;
    }

    /** The entry at {@code full}, expired or not. */
    private Entry entry(String full) {
        ConcurrentMap<String, Entry> flat = flatMap(full);
        if (flat != null) {
            return flat.get(full);
        }
        int h = headLength(full);
        Object stored = slots.get(full.substring(h));
        return stored == null ? null : Slot.find(stored, full, h);
    }

    /** The entry at {@code full} if it exists and has not expired. */
    private Entry live(String full) {
        return liveOrNull(entry(full));
    }

    /**
     * Replaces the entry at {@code full} by {@code f(entry)} (null removes it) atomically with every
     * other operation on {@code full}; returns what {@code f} returned.
     */
    private Entry compute(String full, Remap f) {
        int h = headLength(full);
        String head = full.substring(0, h);
        ConcurrentMap<String, Entry> flat = flatMap(full);
        if (flat != null) {
            return flat.compute(full, (k, old) -> f.apply(head, old));
        }
        return compute(head, full.substring(h), f);
    }

    private Entry compute(String head, String key, Remap f) {
        Entry[] result = new Entry[1];
        slots.compute(key, (k, stored) -> {
            Entry old = stored == null ? null : Slot.find(stored, head);
            Entry updated = f.apply(head, old);
            result[0] = updated;
            return updated == old ? stored : Slot.with(stored, head, updated);
        });
        return result[0];
    }

    /**
     * {@link #compute} for an operation that may create the entry at {@code full}: a lock (an entry
     * in {@link #locks}) is created only while fewer than {@link #maxLocks} are held.
     *
     * @throws CacheBackendException when the lock table is full of held locks
     */
    private Entry computeCreating(String full, Remap f) {
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

    /** Like {@link #compute} but does nothing when there is no entry at {@code full}. */
    private Entry computeIfPresent(String full, UnaryOperator<Entry> f) {
        return compute(full, (head, old) -> old == null ? null : f.apply(old));
    }

    private Entry remove(String full) {
        AtomicReference<Entry> removed = new AtomicReference<>();
        compute(full, (head, old) -> {
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

    // ------------------------------------------------------------------ the in-process read path

    /** The live plain value at {@code head + key}, or null. */
    private PlainEntry readValue(String head, String key) {
        Entry e;
        if (isLockHead(head)) {
            e = entry(head + key);
        } else {
            Object stored = slots.get(key);
            e = stored == null ? null : Slot.find(stored, head);
        }
        return e instanceof PlainEntry v && !isExpiredForRead(v) ? v : null;
    }

    @Override
    public SharedFuture<String> getText(String head, String key) {
        // no checkOpen(): the cache checks its own state first, and closes this backend after it
        Object stored = cache.getIfPresent(key);
        if (stored instanceof TextEntry t && (t.head == head || t.head.equals(head))) {
            // the hit path: one object, which is its own result
            long deadline = t.deadline;
            return deadline == NO_DEADLINE || (coarseReads && deadline - MemoryClock.now() > MemoryClock.SLACK_NANOS)
                    || !isExpiredForRead(t) ? t : null;
        }
        // a miss among the slots is final unless the key lives in the lock maps
        return stored == null && !isLockHead(head) ? null : getTextSlowly(head, key);
    }

    /** {@link #getText} of a key that shares its key segment with another, was written as bytes, or is a lock's. */
    private SharedFuture<String> getTextSlowly(String head, String key) {
        checkOpen();
        PlainEntry v = readValue(head, key);
        return v == null ? null : v.textFuture();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getDecoded(String head, String key, Function<byte[], T> decoder, boolean memoize) {
        checkOpen();
        PlainEntry v = readValue(head, key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof BytesEntry b) || !memoize) {
            return decoder.apply(v.bytes());
        }
        Memo m = b.memo;
        if (m != null && m.decoder() == decoder) {
            return (T) m.decoded();
        }
        T decoded = decoder.apply(b.value);
        if (decoded != null) {
            b.memo = new Memo(decoder, decoded);
        }
        return decoded;
    }

    @Override
    public byte[] getBytes(String head, String key) {
        checkOpen();
        PlainEntry v = readValue(head, key);
        return v == null ? null : v.bytesCopy();
    }

    @Override
    public boolean setText(String head, String key, String value, long ttlMillis, boolean ifAbsent, List<String> indexKeys) {
        checkOpen();
        long deadline = deadline(ttlMillis);
        boolean stored = store(head, key, new TextEntry(head, value, deadline), ifAbsent);
        if (stored && !indexKeys.isEmpty()) {
            String full = head + key;
            for (String indexKey : indexKeys) {
                addIndexMember(indexKey, full, deadline);
            }
        }
        return stored;
    }

    /** Stores a new plain entry under {@code head + key}; returns whether it was stored. */
    private boolean store(String head, String key, PlainEntry fresh, boolean ifAbsent) {
        Remap put = (h, old) -> ifAbsent && liveOrNull(old) != null ? old : fresh;
        if (isLockHead(head)) {
            return computeCreating(head + key, put) == fresh;
        }
        return compute(head, key, put) == fresh;
    }

    // ------------------------------------------------------------------ the SPI

    @Override
    public CompletableFuture<byte[]> get(String key) {
        checkOpen();
        // the stored array is returned as is (the SPI contract: callers never modify it)
        Entry e = entry(key);
        if (e instanceof PlainEntry v) {
            return done(isExpiredForRead(v) ? null : v.bytes());
        }
        // a counter reads as its decimal value, as Redis answers GET of an INCR'd key
        long counter = e instanceof FenceEntry f ? f.last : e instanceof CounterEntry c ? c.value : -1;
        return done(counter < 0 || isExpired(e) ? null : Long.toString(counter).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public CompletableFuture<Boolean> set(String key, byte[] value, long ttlMillis, boolean ifAbsent, List<String> indexKeys) {
        checkOpen();
        long deadline = deadline(ttlMillis);
        int h = headLength(key);
        String head = key.substring(0, h);
        boolean stored = store(head, key.substring(h), new BytesEntry(head, value.clone(), deadline), ifAbsent);
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
        return done(liveOrNull(remove(key)) != null);
    }

    @Override
    public CompletableFuture<Long> deleteAll(Collection<String> keys) {
        checkOpen();
        long n = 0;
        for (String key : keys) {
            if (liveOrNull(remove(key)) != null) {
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
            if (isExpired(e)) {
                return null;
            }
            found.set(true);
            if (e instanceof PlainEntry v) {
                return v.withDeadline(deadline);
            }
            e.deadline(deadline);
            return e;
        });
        return done(found.get());
    }

    @Override
    public CompletableFuture<Long> ttlMillis(String key) {
        checkOpen();
        Entry e = live(key);
        if (e == null) {
            return done(-2L);
        }
        long deadline = e.deadline();
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
        computeCreating(key, (head, old) -> {
            ListEntry list = liveOrNull(old) instanceof ListEntry l ? l : new ListEntry(head);
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
            if (!(liveOrNull(old) instanceof ListEntry list)) {
                return liveOrNull(old);
            }
            item.set(list.items.pollFirst());
            return list.items.isEmpty() ? null : list;
        });
        return item.get();
    }

    private void pushFirst(String key, byte[] value) {
        compute(key, (head, old) -> {
            ListEntry list = liveOrNull(old) instanceof ListEntry l ? l : new ListEntry(head);
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
    public CompletableFuture<byte[]> popLeft(String key, long waitMillis) {
        checkOpen();
        return queues.popLeft(key, waitMillis);
    }

    @Override
    public CompletableFuture<QueueClaim> queueClaim(QueueKeys keys, long visibilityMillis, long maxAttempts) {
        checkOpen();
        return done(queues.claim(keys, visibilityMillis, maxAttempts));
    }

    @Override
    public CompletableFuture<Boolean> queueAwait(QueueKeys keys, long waitMillis) {
        checkOpen();
        return queues.await(keys, waitMillis);
    }

    @Override
    public CompletableFuture<String> queuePushDelayed(QueueKeys keys, byte[] item, long delayMillis) {
        checkOpen();
        return done(queues.pushDelayed(keys, item, delayMillis));
    }

    @Override
    public CompletableFuture<Boolean> queueAck(QueueKeys keys, String id, long attempt) {
        checkOpen();
        return done(queues.ack(keys, id, attempt));
    }

    @Override
    public CompletableFuture<QueueSettlement> queueRelease(QueueKeys keys, String id, long attempt, long delayMillis,
                                                           String note, long maxAttempts, boolean uncount) {
        checkOpen();
        return done(queues.release(keys, id, attempt, delayMillis, note, maxAttempts, uncount));
    }

    @Override
    public CompletableFuture<Boolean> queueExtend(QueueKeys keys, String id, long attempt, long visibilityMillis) {
        checkOpen();
        return done(queues.extend(keys, id, attempt, visibilityMillis));
    }

    @Override
    public CompletableFuture<List<QueueDeadLetter>> queueDeadLetters(QueueKeys keys, int limit) {
        checkOpen();
        return done(queues.deadLetters(keys, limit));
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
        computeCreating(key, (head, old) -> {
            Entry live = liveOrNull(old);
            SetEntry set = live instanceof SetEntry s ? s : new SetEntry(head, deadline);
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
        computeCreating(indexKey, (head, old) -> {
            Entry live = liveOrNull(old);
            SetEntry set = live instanceof SetEntry s ? s : new SetEntry(head, deadline);
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
        computeIfPresent(key, old -> {
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
            Entry live = liveOrNull(old);
            if (live instanceof PlainEntry v && Arrays.equals(v.bytes(), expected)) {
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
            Entry live = liveOrNull(old);
            if (live instanceof PlainEntry v && Arrays.equals(v.bytes(), expected)) {
                done.set(true);
                return v.withDeadline(deadline);
            }
            return live;
        });
        return done(done.get());
    }

    @Override
    public CompletableFuture<Long> increment(String key) {
        checkOpen();
        AtomicLong value = new AtomicLong();
        computeCreating(key, (head, old) -> {
            CounterEntry counter = liveOrNull(old) instanceof CounterEntry c ? c : new CounterEntry(head);
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
        compute(key, (head, old) -> {
            Entry live = liveOrNull(old);
            if (live != null) {
                return live;
            }
            token.set(nextFence(fenceKey, fenceTtlMillis));
            return new BytesEntry(head, copy, deadline);
        });
        return done(token.get());
    }

    /**
     * Advances the fencing counter at {@code fenceKey}:
     * {@code max(last + 1, microseconds since start + 1, fenceFloor + 1)}.
     */
    private long nextFence(String fenceKey, long fenceTtlMillis) {
        long deadline = deadline(fenceTtlMillis);
        long floor = Math.max((ticker.read() - startNanos) / 1_000L + 1, fenceFloor.get() + 1);
        AtomicLong token = new AtomicLong();
        fences.compute(fenceKey, (k, old) -> {
            FenceEntry fence = liveOrNull(old) instanceof FenceEntry f ? f : new FenceEntry(k);
            fence.last = Math.max(fence.last + 1, floor);
            fence.deadline(deadline);
            token.set(fence.last);
            return fence;
        });
        return token.get();
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
        for (Map.Entry<String, Object> e : slots.entrySet()) {
            Object stored = e.getValue();
            if (stored instanceof Entry one) {
                addIfLive(keys, prefix, one.head() + e.getKey(), one);
            } else {
                for (Slot slot = (Slot) stored; slot != null; slot = slot.next) {
                    addIfLive(keys, prefix, slot.entry.head() + e.getKey(), slot.entry);
                }
            }
        }
        for (ConcurrentMap<String, Entry> flat : List.of(locks, fences)) {
            flat.forEach((full, entry) -> addIfLive(keys, prefix, full, entry));
        }
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
        KeyInfo[] info = {KeyInfo.MISSING};
        compute(key, (head, old) -> {
            Entry e = liveOrNull(old);
            if (e != null) {
                long deadline = e.deadline();
                long ttl = deadline == NO_DEADLINE ? -1 : Math.max(0, (deadline - ticker.read()) / 1_000_000L);
                if (e instanceof PlainEntry v) {
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

    /** Removes the expired entries of the next {@link #SWEEP_BUDGET} slots; called by {@link MemoryClock}. */
    void sweepSome() {
        if (closed.get()) {
            return;
        }
        synchronized (sweepLock) {
            if (sweepCursor == null || !sweepCursor.hasNext()) {
                sweepCursor = slots.entrySet().iterator();
            }
            for (int i = 0; i < SWEEP_BUDGET && sweepCursor.hasNext(); i++) {
                sweep(sweepCursor.next());
            }
        }
    }

    private void sweep(Map.Entry<String, Object> e) {
        if (anyExpired(e.getValue())) {
            slots.computeIfPresent(e.getKey(), (k, stored) ->
                    anyExpired(stored) ? Slot.rebuild(stored, entry -> !isExpired(entry), null) : stored);
        }
    }

    private boolean anyExpired(Object stored) {
        if (stored instanceof Entry e) {
            return isExpired(e);
        }
        for (Slot s = (Slot) stored; s != null; s = s.next) {
            if (isExpired(s.entry)) {
                return true;
            }
        }
        return false;
    }

    /** Raises the expiry of a set to at least {@code deadline}; a set without expiry keeps none. */
    private static void raise(SetEntry set, long deadline) {
        long current = set.deadline();
        if (current != NO_DEADLINE && current - deadline < 0) {
            set.deadline(deadline);
        }
    }

    /** Reclaims every expired entry now (the background sweep does it a bit at a time). For tests. */
    void cleanUp() {
        for (Map.Entry<String, Object> e : slots.entrySet()) {
            sweep(e);
        }
        cache.cleanUp();
        locksCache.cleanUp();
        fencesCache.cleanUp();
    }

    /** The number of entries held (locks included, fencing counters not), expired ones included until reclaimed. For tests. */
    long estimatedSize() {
        return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow() + locksCache.estimatedSize();
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
            MemoryClock.unregister(this);
            queues.close();
            cache.invalidateAll();
            locksCache.invalidateAll();
            fencesCache.invalidateAll();
            cache.cleanUp();
        }
    }
}
