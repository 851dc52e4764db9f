package io.brickworks.cache.jcache;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.jcache.EntryStore.Stored;
import io.brickworks.cache.jcache.Listeners.Event;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.EventType;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import javax.cache.processor.MutableEntry;

/**
 * A JCache cache over the library: store-by-value through {@link ValueCodec}, entries in an
 * {@link EntryStore}. Every operation that changes an entry, or must decide on its current state
 * (expiry, read-through, conditional operations, entry processors), runs under the entry's
 * distributed lock with a fresh read, so it is atomic against the same operations of every replica;
 * a plain {@link #get} that hits is a lock-free read (through the near cache when it is on).
 *
 * <p>Thread-safe. Listener events and statistics are those of this process's calls.
 */
final class BrickworksJCache<K, V> implements Cache<K, V> {

    private final String name;
    private final BrickworksCacheManager manager;
    private final MutableConfiguration<K, V> config;
    private final BrickworksCache library;
    private final EntryStore store;
    private final ValueCodec codec;
    private final ExpiryPolicy expiry;
    private final CacheLoader<K, V> loader;
    private final CacheWriter<? super K, ? super V> writer;
    private final Listeners<K, V> listeners = new Listeners<>();
    private final JCacheStatistics statistics = new JCacheStatistics();
    private final JCacheMXBean mxBean = new JCacheMXBean(this);
    private final Executor executor;
    private final LongSupplier clock;
    private volatile boolean closed;

    BrickworksJCache(BrickworksCacheManager manager, String name, CompleteConfiguration<K, V> configuration,
                     BrickworksCache library, JCacheSettings settings, ValueCodec codec, Executor executor) {
        this.manager = manager;
        this.name = name;
        this.config = new MutableConfiguration<>(configuration);
        this.library = library;
        this.codec = codec;
        this.executor = executor;
        this.clock = System::currentTimeMillis;
        this.store = new EntryStore(library, settings.namespace, name, settings, clock);
        this.expiry = config.getExpiryPolicyFactory().create();
        this.loader = config.getCacheLoaderFactory() == null ? null : config.getCacheLoaderFactory().create();
        this.writer = config.getCacheWriterFactory() == null ? null : config.getCacheWriterFactory().create();
        for (CacheEntryListenerConfiguration<K, V> l : configuration.getCacheEntryListenerConfigurations()) {
            listeners.register(l);
        }
        statistics.enabled = config.isStatisticsEnabled();
    }

    CompleteConfiguration<K, V> configuration() {
        return config;
    }

    JCacheStatistics statistics() {
        return statistics;
    }

    JCacheMXBean mxBean() {
        return mxBean;
    }

    void statisticsEnabled(boolean enabled) {
        config.setStatisticsEnabled(enabled);
        statistics.enabled = enabled;
    }

    void managementEnabled(boolean enabled) {
        config.setManagementEnabled(enabled);
    }

    /** Deletes every entry (destroyCache). */
    void destroy() {
        store.deleteAll();
    }

    // ------------------------------------------------------------------ helpers

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cache " + name + " is closed");
        }
    }

    private static <T> T notNull(String argument, T value) {
        if (value == null) {
            throw new NullPointerException(argument + " must not be null");
        }
        return value;
    }

    private void checkTypes(K key, V value) {
        notNull("key", key);
        if (!config.getKeyType().isInstance(key)) {
            throw new ClassCastException("key must be a " + config.getKeyType().getName() + " but was a "
                    + key.getClass().getName());
        }
        if (value != null && !config.getValueType().isInstance(value)) {
            throw new ClassCastException("value must be a " + config.getValueType().getName() + " but was a "
                    + value.getClass().getName());
        }
    }

    private String keyOf(K key) {
        return store.key(key, codec);
    }

    @SuppressWarnings("unchecked")
    private V valueOf(Stored s) {
        return (V) s.value(codec);
    }

    private long now() {
        return clock.getAsLong();
    }

    private static long deadline(Duration d, long now) {
        if (d.isEternal()) {
            return Long.MAX_VALUE;
        }
        if (d.isZero()) {
            return now;
        }
        long ms = d.getTimeUnit().toMillis(d.getDurationAmount());
        return ms >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + Math.max(ms, 1);
    }

    private long creationDeadline(long now) {
        Duration d;
        try {
            d = expiry.getExpiryForCreation();
        } catch (RuntimeException e) {
            d = Duration.ETERNAL;
        }
        return deadline(d == null ? Duration.ETERNAL : d, now);
    }

    /** The new deadline after an update, or {@code current} when the policy keeps it. */
    private long updateDeadline(long current, long now) {
        Duration d;
        try {
            d = expiry.getExpiryForUpdate();
        } catch (RuntimeException e) {
            d = null;
        }
        return d == null ? current : deadline(d, now);
    }

    private Duration accessDuration() {
        try {
            return expiry.getExpiryForAccess();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The per-operation work: the events it collects for dispatch after the lock is released. */
    private final class Op {
        final List<Event<K, V>> events = new ArrayList<>();

        void event(EventType type, K key, V value, V oldValue, boolean hasOld) {
            if (!listeners.isEmpty()) {
                events.add(new Event<>(BrickworksJCache.this, type, key, value, oldValue, hasOld));
            }
        }

        /** Treats an expired entry as gone: deletes it and reports its expiry. Returns whether it was live. */
        boolean live(String k, K key, Stored cur, long now) {
            if (cur == null) {
                return false;
            }
            if (cur.expiredAt(now)) {
                store.delete(k);
                if (!listeners.isEmpty()) {
                    V old = valueOf(cur);
                    event(EventType.EXPIRED, key, old, old, true);
                }
                return false;
            }
            return true;
        }

        /** Stores a new entry (with the creation expiry); false if that expiry is already over. */
        boolean create(String k, K key, V value, long now) {
            long deadline = creationDeadline(now);
            if (deadline <= now) {
                return false;
            }
            store.write(k, codec.encode("value", value), deadline);
            event(EventType.CREATED, key, value, null, false);
            return true;
        }

        void update(String k, K key, Stored cur, V value, long now) {
            long deadline = updateDeadline(cur.expiresAt(), now);
            store.write(k, codec.encode("value", value), deadline);
            if (!listeners.isEmpty()) {
                event(EventType.UPDATED, key, value, valueOf(cur), true);
            }
        }

        void remove(String k, K key, Stored cur) {
            store.delete(k);
            if (!listeners.isEmpty()) {
                V old = valueOf(cur);
                event(EventType.REMOVED, key, old, old, true);
            }
        }

        /** Applies the access expiry to a live entry that is otherwise left unchanged. */
        void access(String k, Stored cur, long now, Duration access) {
            if (access == null) {
                store.settle(k, cur);
                return;
            }
            long deadline = deadline(access, now);
            store.write(k, cur.value(), deadline);
        }

        void dispatch() {
            listeners.dispatch(events);
        }
    }

    /** Work on one entry under its lock. */
    @FunctionalInterface
    private interface Work<K, V, R> {
        R apply(BrickworksJCache<K, V>.Op op, String k, Stored current, long now);
    }

    /** Runs {@code work} under the entry's lock with its fresh state, then delivers the events it made. */
    private <R> R mutate(K key, Work<K, V, R> work) {
        String k = keyOf(key);
        Op op = new Op();
        R result;
        try {
            result = store.locked(k, cur -> work.apply(op, k, cur, now()));
        } catch (RuntimeException e) {
            op.dispatch();
            throw e;
        }
        op.dispatch();
        return result;
    }

    private void writeThrough(K key, V value) {
        if (writer == null || !config.isWriteThrough()) {
            return;
        }
        try {
            writer.write(new SimpleEntry<>(key, value));
        } catch (CacheWriterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheWriterException("the cache writer failed: " + e, e);
        }
    }

    private void deleteThrough(K key) {
        if (writer == null || !config.isWriteThrough()) {
            return;
        }
        try {
            writer.delete(key);
        } catch (CacheWriterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheWriterException("the cache writer failed: " + e, e);
        }
    }

    private V load(K key) {
        try {
            return loader.load(key);
        } catch (CacheLoaderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheLoaderException("the cache loader failed: " + e, e);
        }
    }

    private boolean readsThrough() {
        return loader != null && config.isReadThrough();
    }

    // ------------------------------------------------------------------ reads

    @Override
    public V get(K key) {
        checkOpen();
        notNull("key", key);
        long start = statistics.start();
        String k = keyOf(key);
        Stored seen = store.read(k);
        if (seen != null && seen.liveAt(clock)) {
            Duration access = accessDuration();
            if (access == null) {
                statistics.hits(1);
                statistics.getTime(start);
                return valueOf(seen);
            }
            return getLocked(key, k, start, access);
        }
        if (seen == null && !readsThrough()) {
            statistics.misses(1);
            statistics.getTime(start);
            return null;
        }
        return getLocked(key, k, start, null);
    }

    private V getLocked(K key, String k, long start, Duration knownAccess) {
        Op op = new Op();
        V v = store.locked(k, cur -> {
            long now = now();
            if (op.live(k, key, cur, now)) {
                statistics.hits(1);
                V value = valueOf(cur);
                op.access(k, cur, now, knownAccess != null ? knownAccess : accessDuration());
                return value;
            }
            statistics.misses(1);
            if (!readsThrough()) {
                return null;
            }
            V loaded = load(key);
            if (loaded != null) {
                checkTypes(key, loaded);
                op.create(k, key, loaded, now);
            }
            return loaded;
        });
        statistics.getTime(start);
        op.dispatch();
        return v;
    }

    @Override
    public Map<K, V> getAll(Set<? extends K> keys) {
        checkOpen();
        notNull("keys", keys);
        for (K key : keys) {
            notNull("a key of keys", key);
        }
        Map<K, V> out = new LinkedHashMap<>();
        for (Map.Entry<K, V> e : bulkGet(keys).entrySet()) {
            if (e.getValue() != null) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * The multi-key read of {@code getAll}: the one place to switch to a bulk API of the library. Keys
     * whose entry is live and needs no access expiry are read at once; the others go through {@link #get}.
     */
    private Map<K, V> bulkGet(Collection<? extends K> keys) {
        Map<String, K> byKey = new LinkedHashMap<>();
        for (K key : keys) {
            byKey.put(keyOf(key), key);
        }
        Map<String, Stored> read = store.readAll(byKey.keySet());
        Map<K, V> out = new LinkedHashMap<>();
        long now = now();
        for (Map.Entry<String, K> e : byKey.entrySet()) {
            Stored s = read.get(e.getKey());
            if (s != null && !s.expiredAt(now) && accessDuration() == null) {
                long start = System.nanoTime();
                statistics.hits(1);
                statistics.getTime(start);
                out.put(e.getValue(), valueOf(s));
            } else if (s == null && !readsThrough()) {
                statistics.misses(1);
                out.put(e.getValue(), null);
            } else {
                out.put(e.getValue(), get(e.getValue()));
            }
        }
        return out;
    }

    @Override
    public boolean containsKey(K key) {
        checkOpen();
        notNull("key", key);
        Stored s = store.read(keyOf(key));
        return s != null && !s.expiredAt(now());
    }

    @Override
    public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener completionListener) {
        checkOpen();
        notNull("keys", keys);
        for (K key : keys) {
            notNull("a key of keys", key);
        }
        CompletionListener done = completionListener != null ? completionListener : new CompletionListener() {
            @Override
            public void onCompletion() {
            }

            @Override
            public void onException(Exception e) {
            }
        };
        if (loader == null) {
            done.onCompletion();
            return;
        }
        executor.execute(() -> {
            try {
                List<K> toLoad = new ArrayList<>();
                for (K key : keys) {
                    if (replaceExistingValues || !containsKey(key)) {
                        toLoad.add(key);
                    }
                }
                Map<K, V> loaded;
                try {
                    loaded = loader.loadAll(toLoad);
                } catch (CacheLoaderException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new CacheLoaderException("the cache loader failed: " + e, e);
                }
                if (loaded != null) {
                    for (Map.Entry<K, V> e : loaded.entrySet()) {
                        if (e.getKey() != null && e.getValue() != null) {
                            putLoaded(e.getKey(), e.getValue(), replaceExistingValues);
                        }
                    }
                }
                done.onCompletion();
            } catch (Exception e) {
                done.onException(e);
            }
        });
    }

    /** Stores a loaded value: no writer, no put statistics. */
    private void putLoaded(K key, V value, boolean replace) {
        mutate(key, (op, k, cur, now) -> {
            if (op.live(k, key, cur, now)) {
                if (replace) {
                    op.update(k, key, cur, value, now);
                } else {
                    store.settle(k, cur);
                }
            } else {
                op.create(k, key, value, now);
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void put(K key, V value) {
        checkOpen();
        checkTypes(key, notNull("value", value));
        long start = System.nanoTime();
        mutate(key, (op, k, cur, now) -> {
            putLocked(op, k, key, cur, value, now);
            return null;
        });
        statistics.putTime(start);
    }

    /** A put of a live or absent entry, under its lock. */
    private void putLocked(Op op, String k, K key, Stored cur, V value, long now) {
        writeThrough(key, value);
        if (op.live(k, key, cur, now)) {
            op.update(k, key, cur, value, now);
            statistics.puts(1);
        } else if (op.create(k, key, value, now)) {
            statistics.puts(1);
        }
    }

    @Override
    public V getAndPut(K key, V value) {
        checkOpen();
        checkTypes(key, notNull("value", value));
        long start = System.nanoTime();
        V old = mutate(key, (op, k, cur, now) -> {
            boolean live = cur != null && !cur.expiredAt(now);
            V previous = live ? valueOf(cur) : null;
            putLocked(op, k, key, cur, value, now);
            if (live) {
                statistics.hits(1);
            } else {
                statistics.misses(1);
            }
            return previous;
        });
        statistics.getTime(start);
        statistics.putTime(start);
        return old;
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        checkOpen();
        notNull("map", map);
        for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
            checkTypes(notNull("a key of map", e.getKey()), notNull("a value of map", e.getValue()));
        }
        long start = System.nanoTime();
        bulkPut(map);
        statistics.putTime(start);
    }

    /**
     * The multi-key write of {@code putAll}: the one place to switch to a bulk API of the library. The
     * writer gets the whole batch first; entries it did not write (a partial failure) are not stored.
     */
    private void bulkPut(Map<? extends K, ? extends V> map) {
        Map<K, V> toStore = new LinkedHashMap<>(map);
        CacheWriterException failure = null;
        if (writer != null && config.isWriteThrough() && !toStore.isEmpty()) {
            List<Entry<? extends K, ? extends V>> batch = new ArrayList<>();
            for (Map.Entry<K, V> e : toStore.entrySet()) {
                batch.add(new SimpleEntry<>(e.getKey(), e.getValue()));
            }
            try {
                @SuppressWarnings({"unchecked", "rawtypes"})
                CacheWriter<K, V> w = (CacheWriter) writer;
                w.writeAll((Collection) batch);
            } catch (RuntimeException e) {
                failure = e instanceof CacheWriterException w ? w : new CacheWriterException("the cache writer failed: "
                        + e, e);
                for (Entry<? extends K, ? extends V> notWritten : batch) {
                    toStore.remove(notWritten.getKey());
                }
            }
        }
        RuntimeException listenerFailure = null;
        for (Map.Entry<K, V> e : toStore.entrySet()) {
            K key = e.getKey();
            V value = e.getValue();
            try {
                mutate(key, (op, k, cur, now) -> {
                    if (op.live(k, key, cur, now)) {
                        op.update(k, key, cur, value, now);
                        statistics.puts(1);
                    } else if (op.create(k, key, value, now)) {
                        statistics.puts(1);
                    }
                    return null;
                });
            } catch (javax.cache.event.CacheEntryListenerException ex) {
                listenerFailure = listenerFailure == null ? ex : listenerFailure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (listenerFailure != null) {
            throw listenerFailure;
        }
    }

    @Override
    public boolean putIfAbsent(K key, V value) {
        checkOpen();
        checkTypes(key, notNull("value", value));
        long start = System.nanoTime();
        boolean put = mutate(key, (op, k, cur, now) -> {
            if (op.live(k, key, cur, now)) {
                statistics.hits(1);
                store.settle(k, cur);
                return false;
            }
            statistics.misses(1);
            writeThrough(key, value);
            if (op.create(k, key, value, now)) {
                statistics.puts(1);
            }
            return true;
        });
        if (put) {
            statistics.putTime(start);
        }
        return put;
    }

    @Override
    public boolean remove(K key) {
        checkOpen();
        notNull("key", key);
        long start = System.nanoTime();
        boolean removed = mutate(key, (op, k, cur, now) -> {
            deleteThrough(key);
            if (op.live(k, key, cur, now)) {
                op.remove(k, key, cur);
                statistics.removals(1);
                return true;
            }
            return false;
        });
        statistics.removeTime(start);
        return removed;
    }

    @Override
    public boolean remove(K key, V oldValue) {
        checkOpen();
        notNull("key", key);
        notNull("oldValue", oldValue);
        long start = System.nanoTime();
        boolean removed = mutate(key, (op, k, cur, now) -> {
            if (!op.live(k, key, cur, now)) {
                statistics.misses(1);
                return false;
            }
            statistics.hits(1);
            if (!Objects.equals(valueOf(cur), oldValue)) {
                op.access(k, cur, now, accessDuration());
                return false;
            }
            deleteThrough(key);
            op.remove(k, key, cur);
            statistics.removals(1);
            return true;
        });
        statistics.getTime(start);
        if (removed) {
            statistics.removeTime(start);
        }
        return removed;
    }

    @Override
    public V getAndRemove(K key) {
        checkOpen();
        notNull("key", key);
        long start = System.nanoTime();
        V old = mutate(key, (op, k, cur, now) -> {
            deleteThrough(key);
            if (!op.live(k, key, cur, now)) {
                statistics.misses(1);
                return null;
            }
            statistics.hits(1);
            V previous = valueOf(cur);
            op.remove(k, key, cur);
            statistics.removals(1);
            return previous;
        });
        statistics.getTime(start);
        statistics.removeTime(start);
        return old;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        checkOpen();
        checkTypes(key, notNull("newValue", newValue));
        notNull("oldValue", oldValue);
        long start = System.nanoTime();
        boolean replaced = mutate(key, (op, k, cur, now) -> {
            if (!op.live(k, key, cur, now)) {
                statistics.misses(1);
                return false;
            }
            statistics.hits(1);
            if (!Objects.equals(valueOf(cur), oldValue)) {
                op.access(k, cur, now, accessDuration());
                return false;
            }
            writeThrough(key, newValue);
            op.update(k, key, cur, newValue, now);
            statistics.puts(1);
            return true;
        });
        statistics.getTime(start);
        if (replaced) {
            statistics.putTime(start);
        }
        return replaced;
    }

    @Override
    public boolean replace(K key, V value) {
        // the same step as getAndReplace: a live entry is replaced (a hit), a missing one is left (a miss);
        // a stored value is never null, so a non-null previous value means it was replaced
        return getAndReplace(key, value) != null;
    }

    @Override
    public V getAndReplace(K key, V value) {
        checkOpen();
        checkTypes(key, notNull("value", value));
        long start = System.nanoTime();
        V old = mutate(key, (op, k, cur, now) -> {
            if (!op.live(k, key, cur, now)) {
                statistics.misses(1);
                return null;
            }
            statistics.hits(1);
            V previous = valueOf(cur);
            writeThrough(key, value);
            op.update(k, key, cur, value, now);
            statistics.puts(1);
            return previous;
        });
        statistics.getTime(start);
        if (old != null) {
            statistics.putTime(start);
        }
        return old;
    }

    @Override
    public void removeAll(Set<? extends K> keys) {
        checkOpen();
        notNull("keys", keys);
        for (K key : keys) {
            notNull("a key of keys", key);
        }
        long start = System.nanoTime();
        bulkRemove(keys);
        statistics.removeTime(start);
    }

    /**
     * The multi-key delete of {@code removeAll}: the one place to switch to a bulk API of the library.
     * The writer gets the whole batch first; keys it did not delete (a partial failure) stay.
     */
    private void bulkRemove(Collection<? extends K> keys) {
        Set<K> toRemove = new LinkedHashSet<>(keys);
        CacheWriterException failure = null;
        if (writer != null && config.isWriteThrough() && !toRemove.isEmpty()) {
            List<Object> batch = new ArrayList<>(toRemove);
            try {
                writer.deleteAll(batch);
            } catch (RuntimeException e) {
                failure = e instanceof CacheWriterException w ? w : new CacheWriterException("the cache writer failed: "
                        + e, e);
                toRemove.removeAll(batch);
            }
        }
        RuntimeException listenerFailure = null;
        for (K key : toRemove) {
            try {
                mutate(key, (op, k, cur, now) -> {
                    if (op.live(k, key, cur, now)) {
                        op.remove(k, key, cur);
                        statistics.removals(1);
                    }
                    return null;
                });
            } catch (javax.cache.event.CacheEntryListenerException ex) {
                listenerFailure = listenerFailure == null ? ex : listenerFailure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (listenerFailure != null) {
            throw listenerFailure;
        }
    }

    @Override
    public void removeAll() {
        checkOpen();
        removeAll(keySnapshot());
    }

    /** The keys of the live entries of this cache, as this process sees them now. */
    private Set<K> keySnapshot() {
        Set<K> keys = new LinkedHashSet<>();
        for (Map.Entry<K, Stored> e : liveEntries().entrySet()) {
            keys.add(e.getKey());
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    private Map<K, Stored> liveEntries() {
        Map<K, Stored> out = new LinkedHashMap<>();
        long now = now();
        for (Map.Entry<String, Stored> e : store.readAll(store.keys()).entrySet()) {
            Object key = e.getValue() == null || e.getValue().expiredAt(now) ? null
                    : store.keyOf(e.getKey(), codec);
            if (key != null) {
                out.put((K) key, e.getValue());
            }
        }
        return out;
    }

    @Override
    public void clear() {
        checkOpen();
        store.deleteAll();
    }

    @Override
    public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
        checkOpen();
        notNull("key", key);
        notNull("entryProcessor", entryProcessor);
        return mutate(key, (op, k, cur, now) -> invokeLocked(op, k, key, cur, now, entryProcessor, arguments));
    }

    /** What an entry processor did to its entry. */
    private enum Action { NONE, ACCESS, LOAD, CREATE, UPDATE, REMOVE }

    /** The entry an entry processor sees: its changes are applied after it returns, all or nothing. */
    private final class ProcessedEntry implements MutableEntry<K, V> {
        private final K key;
        private final Stored cur;
        private final boolean live;
        private V value;
        private Action action = Action.NONE;

        ProcessedEntry(K key, Stored cur, boolean live) {
            this.key = key;
            this.cur = cur;
            this.live = live;
        }

        @Override
        public K getKey() {
            return key;
        }

        @Override
        public V getValue() {
            if (action == Action.NONE) {
                if (live && value == null) {
                    value = valueOf(cur);
                }
                if (value != null) {
                    action = Action.ACCESS;
                } else if (readsThrough()) {
                    value = load(key);
                    if (value != null) {
                        action = Action.LOAD;
                    }
                }
            }
            return value;
        }

        @Override
        public boolean exists() {
            return value != null || (action == Action.NONE && live);
        }

        @Override
        public void remove() {
            action = action == Action.CREATE || action == Action.LOAD ? Action.NONE : Action.REMOVE;
            value = null;
        }

        @Override
        public void setValue(V newValue) {
            notNull("value", newValue);
            checkTypes(key, newValue);
            action = live ? Action.UPDATE : Action.CREATE;
            value = newValue;
        }

        @Override
        public <T> T unwrap(Class<T> clazz) {
            if (clazz.isInstance(this)) {
                return clazz.cast(this);
            }
            throw new IllegalArgumentException("clazz must be a type of this entry but was " + clazz.getName());
        }
    }

    private <T> T invokeLocked(Op op, String k, K key, Stored cur, long now, EntryProcessor<K, V, T> processor,
                               Object... arguments) {
        boolean live = op.live(k, key, cur, now);
        if (live) {
            statistics.hits(1);
        } else {
            statistics.misses(1);
        }
        ProcessedEntry entry = new ProcessedEntry(key, cur, live);
        T result;
        try {
            result = processor.process(entry, arguments);
        } catch (EntryProcessorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EntryProcessorException(e);
        }
        switch (entry.action) {
            case NONE -> {
                if (live) {
                    store.settle(k, cur);
                }
            }
            case ACCESS -> {
                op.access(k, cur, now, accessDuration());
            }
            case LOAD -> {
                op.create(k, key, entry.value, now);
            }
            case CREATE -> {
                writeThrough(key, entry.value);
                if (op.create(k, key, entry.value, now)) {
                    statistics.puts(1);
                }
            }
            case UPDATE -> {
                writeThrough(key, entry.value);
                op.update(k, key, cur, entry.value, now);
                statistics.puts(1);
            }
            case REMOVE -> {
                deleteThrough(key);
                if (live) {
                    op.remove(k, key, cur);
                    statistics.removals(1);
                }
            }
            default -> throw new IllegalStateException("unknown action " + entry.action);
        }
        return result;
    }

    @Override
    public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> entryProcessor,
                                                         Object... arguments) {
        checkOpen();
        notNull("keys", keys);
        notNull("entryProcessor", entryProcessor);
        for (K key : keys) {
            notNull("a key of keys", key);
        }
        Map<K, EntryProcessorResult<T>> out = new HashMap<>();
        for (K key : keys) {
            try {
                T result = invoke(key, entryProcessor, arguments);
                if (result != null) {
                    out.put(key, () -> result);
                }
            } catch (RuntimeException e) {
                EntryProcessorException failure = e instanceof EntryProcessorException p ? p
                        : new EntryProcessorException(e);
                out.put(key, () -> {
                    throw failure;
                });
            }
        }
        return out;
    }

    @Override
    public Iterator<Entry<K, V>> iterator() {
        checkOpen();
        Iterator<Map.Entry<K, Stored>> entries = liveEntries().entrySet().iterator();
        return new Iterator<>() {
            private K last;

            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Entry<K, V> next() {
                if (!entries.hasNext()) {
                    throw new NoSuchElementException();
                }
                Map.Entry<K, Stored> e = entries.next();
                last = e.getKey();
                statistics.hits(1);
                Duration access = accessDuration();
                if (access != null) {
                    mutate(last, (op, k, cur, now) -> {
                        if (op.live(k, last, cur, now)) {
                            op.access(k, cur, now, access);
                        }
                        return null;
                    });
                }
                return new SimpleEntry<>(e.getKey(), valueOf(e.getValue()));
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException("next() was not called");
                }
                BrickworksJCache.this.remove(last);
                last = null;
            }
        };
    }

    // ------------------------------------------------------------------ the rest

    @Override
    public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
        if (clazz.isInstance(config)) {
            MutableConfiguration<K, V> copy = new MutableConfiguration<>(config);
            return clazz.cast(copy);
        }
        throw new IllegalArgumentException("clazz must be a type of the configuration (CompleteConfiguration) but was "
                + clazz.getName());
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public CacheManager getCacheManager() {
        return manager;
    }

    @Override
    public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        checkOpen();
        notNull("cacheEntryListenerConfiguration", listenerConfiguration);
        listeners.register(listenerConfiguration);
        config.addCacheEntryListenerConfiguration(listenerConfiguration);
    }

    @Override
    public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        checkOpen();
        notNull("cacheEntryListenerConfiguration", listenerConfiguration);
        listeners.deregister(listenerConfiguration);
        config.removeCacheEntryListenerConfiguration(listenerConfiguration);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        manager.released(this);
        for (Object o : new Object[] {loader, writer, expiry}) {
            if (o instanceof Closeable c) {
                try {
                    c.close();
                } catch (IOException e) {
                    // best effort
                }
            }
        }
        listeners.closeAll();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        if (clazz.isInstance(library)) {
            return clazz.cast(library);
        }
        throw new IllegalArgumentException("clazz must be this cache's type or BrickworksCache but was "
                + clazz.getName());
    }

    /** A key and a value. */
    record SimpleEntry<K, V>(K getKey, V getValue) implements Entry<K, V> {
        @Override
        public <T> T unwrap(Class<T> clazz) {
            if (clazz.isInstance(this)) {
                return clazz.cast(this);
            }
            throw new IllegalArgumentException("clazz must be a type of this entry but was " + clazz.getName());
        }
    }
}
