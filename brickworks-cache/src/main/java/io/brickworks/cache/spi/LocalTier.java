package io.brickworks.cache.spi;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.brickworks.cache.Ticker;
import io.brickworks.cache.internal.SharedFuture;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The entries a backend keeps in this process: the one place the cache reads a key from before (or,
 * for a backend that lives in the process, instead of) asking the store. Every key-value read and
 * function-cache hit of the cache looks here first, with the full key, on the calling thread; what a
 * tier holds and when it forgets it is its backend's business.
 *
 * <ul>
 * <li>The memory backend is a tier with nothing behind it ({@link #wholeStore}): it keeps every key
 *     here, values and its own entry types (lists, sets, counters) alike, and a miss here is a miss.</li>
 * <li>The Redis backend with the near cache on is a tier in front of Redis ({@link #inFront}): it
 *     keeps values it read while Redis tracks them, and forgets them when Redis says they changed; a
 *     miss here goes to Redis.</li>
 * <li>Every other backend has {@link #none()}, which holds nothing: a miss costs one lookup in an
 *     empty map.</li>
 * </ul>
 *
 * <p><b>Contract.</b> Bounded in entries (Caffeine, the least recently used evicted); an entry is
 * never returned at or after its {@linkplain Entry#deadline() deadline} (in nanoseconds of the
 * tier's {@link Ticker}, read on every read of an entry that has one). Every method is thread-safe
 * and returns at once; {@link #compute} is atomic with respect to every other change of the same
 * key. Values ({@link Value}) are never modified once stored: readers share them.
 *
 * <p><b>Reclaiming expired entries</b> costs the writers, not the readers and no thread of its own:
 * a read that finds an expired entry removes it, and every {@value #SWEEP_EVERY}th write through
 * {@link #put} or {@link #compute} examines the next {@value #SWEEP_BUDGET} entries (a cursor that
 * goes round the whole tier) and removes the expired ones. Between writes, expired entries may stay
 * in the heap, within the bound. (Caffeine's own per-entry expiry would do it in the background, but
 * costs a read about twenty times a lookup: the reason it is not used.)
 */
public final class LocalTier {

    /** The deadline of an entry that does not expire. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    /** The longest time to live kept exactly (about 146 years, Caffeine's own limit); longer ones are capped to it. */
    private static final long MAX_TTL_NANOS = Long.MAX_VALUE >> 1;

    private static final LocalTier NONE = new LocalTier(0, Ticker.system(), false, false);

    /**
     * Something stored under a key, with its deadline. {@link Value} is the one kind the cache reads;
     * a backend that is its own tier stores its other kinds as subclasses.
     */
    public abstract static class Entry {
        private volatile long deadline;

        /** @param deadline in nanoseconds of the tier's ticker, or {@link #NO_DEADLINE} */
        protected Entry(long deadline) {
            this.deadline = deadline;
        }

        /** When this entry expires, in nanoseconds of the tier's ticker; {@link #NO_DEADLINE} for never. */
        public final long deadline() {
            return deadline;
        }

        /** Moves the deadline; only inside the {@link #compute} of this entry's key, so that the move is atomic with it. */
        public final void deadline(long deadline) {
            this.deadline = deadline;
        }
    }

    /** A decoded form of a value, and the decoder that made it. */
    private record Memo(Object decoder, Object decoded) {
    }

    /**
     * A plain value (a Redis string). Its bytes are never modified; the text and, on request, a
     * decoded form are made at the first read that wants them and shared by every later read of the
     * same value (a race only makes them twice).
     */
    public static final class Value extends Entry {
        private final byte[] bytes;
        private volatile SharedFuture<String> text;
        private volatile Memo memo;

        /** A value of {@code bytes}, which it keeps: nobody may modify the array afterwards. */
        public Value(byte[] bytes, long deadline) {
            super(deadline);
            this.bytes = bytes;
        }

        /** The stored bytes themselves: callers must not modify them. */
        public byte[] bytes() {
            return bytes;
        }

        /** The value as text (UTF-8), in a completed future that every reader of this value shares. */
        CompletableFuture<String> text() {
            SharedFuture<String> t = text;
            if (t == null) {
                t = SharedFuture.of(new String(bytes, StandardCharsets.UTF_8));
                text = t;
            }
            return t;
        }
    }

    /** One write in this many sweeps (a power of two). */
    static final int SWEEP_EVERY = 64;

    /** How many entries one sweep examines. */
    static final int SWEEP_BUDGET = 128;

    /**
     * A key as the tier stores it: the head of a full key ({@code <prefix>:<tenant>:<namespace>:},
     * everything up to its last colon) and the name after it, apart. A read passes the scope's own head
     * and the caller's own name, so it builds no string and hashes none whose hash is not cached.
     */
    private static final class Key {
        final String head;
        final String name;
        final int hash;

        Key(String head, String name) {
            this.head = head;
            this.name = name;
            this.hash = head.hashCode() * 31 + name.hashCode();
        }

        String full() {
            return head + name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && name.equals(k.name) && head.equals(k.head);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** How many distinct heads are shared between the keys that hold them; beyond, each key has its own. */
    private static final int MAX_HEADS = 10_000;

    private final Cache<Key, Entry> cache;
    private final ConcurrentMap<Key, Entry> map;
    /** One instance per head, so that stored keys share it (and its bytes stay in the CPU's cache). */
    private final ConcurrentHashMap<String, String> heads = new ConcurrentHashMap<>();
    private final Ticker ticker;
    private final boolean wholeStore;
    /** Reads answered here, counted only in a tier in front of a store (a near cache); null otherwise. */
    private final LongAdder hits;
    /** Writes since creation, counted without synchronization: a lost count only delays a sweep. */
    private int writes;
    private final ReentrantLock sweeping = new ReentrantLock();
    /** Where the next sweep goes on; guarded by {@link #sweeping}. */
    private Iterator<Map.Entry<Key, Entry>> cursor;

    private LocalTier(long maximumEntries, Ticker ticker, boolean wholeStore, boolean countHits) {
        this.ticker = ticker;
        this.wholeStore = wholeStore;
        this.hits = countHits ? new LongAdder() : null;
        this.cache = Caffeine.newBuilder().maximumSize(maximumEntries).build();
        this.map = cache.asMap();
    }

    /** A tier that is the whole store: nothing is behind it, a miss here is a miss. */
    public static LocalTier wholeStore(long maximumEntries, Ticker ticker) {
        return new LocalTier(checkMaximum(maximumEntries), ticker, true, false);
    }

    /** A tier in front of a store: a miss here asks the store. Counts its hits ({@link #hits()}). */
    public static LocalTier inFront(long maximumEntries, Ticker ticker) {
        return new LocalTier(checkMaximum(maximumEntries), ticker, false, true);
    }

    /** The tier of a backend that keeps nothing in this process: every read misses, nothing is stored. */
    public static LocalTier none() {
        return NONE;
    }

    private static long checkMaximum(long maximumEntries) {
        if (maximumEntries < 1) {
            throw new IllegalArgumentException("maximumEntries must be at least 1, was " + maximumEntries);
        }
        return maximumEntries;
    }

    /** Whether nothing is behind this tier, so that a miss here is final. */
    public boolean isWholeStore() {
        return wholeStore;
    }

    // ------------------------------------------------------------------ the cache's read path

    /**
     * The value at the full key {@code head + name} as text, in a completed future shared by every
     * reader of the same value, or {@code null} (not a future) when there is no live value here.
     *
     * @param head everything up to and with the last colon of the full key
     *     ({@code <prefix>:<tenant>:<namespace>:})
     * @param name the rest, without a colon
     */
    public CompletableFuture<String> getText(String head, String name) {
        return live(new Key(head, name)) instanceof Value v ? v.text() : null;
    }

    /** The value at {@code head + name} in a new array the caller owns, or {@code null}. */
    public byte[] getBytes(String head, String name) {
        return live(new Key(head, name)) instanceof Value v ? v.bytes.clone() : null;
    }

    /**
     * The value at {@code head + name} decoded by {@code decoder}, or {@code null} when there is no live value
     * here or {@code decoder} answers null (it cannot decode the bytes). The decoder is given the
     * stored array, which it must not modify.
     *
     * @param memoize keep the result with the value, for this decoder (compared by reference), so that
     *     later reads of the same value answer it without decoding; only for results nobody can modify,
     *     since every reader then gets the same instance
     */
    @SuppressWarnings("unchecked")
    public <T> T getDecoded(String head, String name, Function<byte[], T> decoder, boolean memoize) {
        if (!(live(new Key(head, name)) instanceof Value v)) {
            return null;
        }
        if (!memoize) {
            return decoder.apply(v.bytes);
        }
        Memo m = v.memo;
        if (m != null && m.decoder() == decoder) {
            return (T) m.decoded();
        }
        T decoded = decoder.apply(v.bytes);
        if (decoded != null) {
            v.memo = new Memo(decoder, decoded);
        }
        return decoded;
    }

    // ------------------------------------------------------------------ the owner's side

    /** The live entry at {@code key}, of any kind, or {@code null}. */
    public Entry get(String key) {
        return live(split(key));
    }

    private Entry live(Key key) {
        Entry e = cache.getIfPresent(key);
        if (e == null) {
            return null;
        }
        long deadline = e.deadline;
        if (deadline != NO_DEADLINE && deadline - ticker.read() <= 0) {
            map.remove(key, e);
            return null;
        }
        if (hits != null) {
            hits.increment();
        }
        return e;
    }

    /** Reads answered by a live entry of this tier so far; 0 for a tier that does not count (see {@link #inFront}). */
    public long hits() {
        return hits == null ? 0 : hits.sum();
    }

    /**
     * Replaces the entry at {@code key} by {@code f(entry)} ({@code null} when there is none or it has
     * expired; a {@code null} result removes it), atomically with every other change of {@code key};
     * returns what {@code f} returned. {@code f} may read other keys, never change them.
     */
    public Entry compute(String key, UnaryOperator<Entry> f) {
        Entry result = map.compute(split(key), (k, old) -> f.apply(old == null || isExpired(old) ? null : old));
        written();
        return result;
    }

    /** Stores {@code entry} at {@code key}, replacing what was there. */
    public void put(String key, Entry entry) {
        cache.put(split(key), entry);
        written();
    }

    private void written() {
        if ((++writes & (SWEEP_EVERY - 1)) == 0 && sweeping.tryLock()) {
            try {
                sweep(SWEEP_BUDGET);
            } finally {
                sweeping.unlock();
            }
        }
    }

    /** Removes the expired entries among the next {@code budget} of the cursor. */
    private void sweep(long budget) {
        for (long i = 0; i < budget; i++) {
            if (cursor == null || !cursor.hasNext()) {
                cursor = map.entrySet().iterator();
                if (!cursor.hasNext()) {
                    return;
                }
            }
            Map.Entry<Key, Entry> e = cursor.next();
            if (isExpired(e.getValue())) {
                map.remove(e.getKey(), e.getValue());
            }
        }
    }

    /** Forgets the entry at {@code key}, if any. */
    public void invalidate(String key) {
        cache.invalidate(split(key));
    }

    /** The stored form of a full key, its head shared with the other keys under it. */
    private Key split(String full) {
        int at = full.lastIndexOf(':') + 1;
        String head = full.substring(0, at);
        String shared = heads.get(head);
        if (shared == null) {
            shared = head;
            if (heads.size() < MAX_HEADS) {
                String raced = heads.putIfAbsent(head, head);
                shared = raced != null ? raced : head;
            }
        }
        return new Key(shared, full.substring(at));
    }

    /** Forgets every entry. */
    public void invalidateAll() {
        cache.invalidateAll();
        heads.clear();
    }

    /** Hands every live entry to {@code action} (weakly consistent, as a concurrent map's iteration). */
    public void forEach(BiConsumer<String, Entry> action) {
        for (Map.Entry<Key, Entry> e : map.entrySet()) {
            if (!isExpired(e.getValue())) {
                action.accept(e.getKey().full(), e.getValue());
            }
        }
    }

    // ------------------------------------------------------------------ time

    /** The deadline {@code ttlMillis} (0 or more) from now, capped at about 146 years. */
    public long deadlineAfter(long ttlMillis) {
        return deadlineAfter(ticker.read(), ttlMillis);
    }

    /** The deadline {@code ttlMillis} after {@code start} (a reading of this tier's ticker). */
    public static long deadlineAfter(long start, long ttlMillis) {
        long nanos = ttlMillis >= MAX_TTL_NANOS / 1_000_000L ? MAX_TTL_NANOS : ttlMillis * 1_000_000L;
        long deadline = start + nanos;
        return deadline == NO_DEADLINE ? deadline - 1 : deadline;
    }

    /** Whether {@code entry} has expired by this tier's ticker. */
    public boolean isExpired(Entry entry) {
        long deadline = entry.deadline();
        return deadline != NO_DEADLINE && deadline - ticker.read() <= 0;
    }

    /** The milliseconds {@code entry} has left (0 or more), or -1 when it does not expire. */
    public long remainingMillis(Entry entry) {
        long deadline = entry.deadline();
        return deadline == NO_DEADLINE ? -1 : Math.max(0, (deadline - ticker.read()) / 1_000_000L);
    }

    /** The current reading of this tier's ticker. */
    public long now() {
        return ticker.read();
    }

    // ------------------------------------------------------------------ housekeeping

    /** Removes every expired entry and applies the bound now (writes do it a bit at a time). */
    public void cleanUp() {
        map.entrySet().removeIf(e -> isExpired(e.getValue()));
        cache.cleanUp();
    }

    /** The number of entries held, expired ones included until reclaimed. */
    public long size() {
        return cache.estimatedSize();
    }
}
