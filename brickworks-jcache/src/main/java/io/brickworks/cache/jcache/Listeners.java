package io.brickworks.cache.jcache;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/**
 * The entry listeners of one cache in this process, and the dispatch of the events of one operation
 * to them. Events are delivered on the thread of the operation, after its change is stored and its
 * entry lock released, in the order of the operation's changes (synchronous and asynchronous
 * listeners alike: the specification allows an asynchronous listener to be called synchronously).
 * Only changes made through this process's caches are seen (see {@code docs/jcache.md}).
 */
final class Listeners<K, V> {

    /** One event. */
    static final class Event<K, V> extends CacheEntryEvent<K, V> {
        private static final long serialVersionUID = 1L;
        private final K key;
        private final V value;
        private final V oldValue;
        private final boolean hasOld;

        Event(Cache<K, V> source, EventType type, K key, V value, V oldValue, boolean hasOld) {
            super(source, type);
            this.key = key;
            this.value = value;
            this.oldValue = oldValue;
            this.hasOld = hasOld;
        }

        @Override
        public K getKey() {
            return key;
        }

        @Override
        public V getValue() {
            return value;
        }

        @Override
        public V getOldValue() {
            return oldValue;
        }

        @Override
        public boolean isOldValueAvailable() {
            return hasOld;
        }

        @Override
        public <T> T unwrap(Class<T> clazz) {
            if (clazz.isInstance(this)) {
                return clazz.cast(this);
            }
            throw new IllegalArgumentException("clazz must be a type of this event but was " + clazz.getName());
        }
    }

    private record Registration<K, V>(CacheEntryListenerConfiguration<K, V> config, CacheEntryListener<? super K,
            ? super V> listener, CacheEntryEventFilter<? super K, ? super V> filter) {
    }

    private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();

    boolean isEmpty() {
        return registrations.isEmpty();
    }

    /** @throws IllegalArgumentException if this configuration is registered already */
    void register(CacheEntryListenerConfiguration<K, V> config) {
        for (Registration<K, V> r : registrations) {
            if (r.config().equals(config)) {
                throw new IllegalArgumentException("cacheEntryListenerConfiguration is registered already: " + config);
            }
        }
        Factory<? extends CacheEntryListener<? super K, ? super V>> lf = config.getCacheEntryListenerFactory();
        Factory<? extends CacheEntryEventFilter<? super K, ? super V>> ff = config.getCacheEntryEventFilterFactory();
        registrations.add(new Registration<>(config, lf == null ? null : lf.create(), ff == null ? null : ff.create()));
    }

    void deregister(CacheEntryListenerConfiguration<K, V> config) {
        for (Registration<K, V> r : registrations) {
            if (r.config().equals(config)) {
                registrations.remove(r);
                close(r);
            }
        }
    }

    List<CacheEntryListenerConfiguration<K, V>> configurations() {
        List<CacheEntryListenerConfiguration<K, V>> out = new ArrayList<>();
        for (Registration<K, V> r : registrations) {
            out.add(r.config());
        }
        return out;
    }

    void closeAll() {
        for (Registration<K, V> r : registrations) {
            close(r);
        }
        registrations.clear();
    }

    private static void close(Registration<?, ?> r) {
        for (Object o : new Object[] {r.listener(), r.filter()}) {
            if (o instanceof Closeable c) {
                try {
                    c.close();
                } catch (IOException e) {
                    // closing a user's listener is best effort
                }
            }
        }
    }

    /**
     * Delivers {@code events} to every interested listener.
     *
     * @throws CacheEntryListenerException if a listener or filter throws (after every listener was called)
     */
    @SuppressWarnings("unchecked")
    void dispatch(List<Event<K, V>> events) {
        if (events.isEmpty() || registrations.isEmpty()) {
            return;
        }
        RuntimeException failure = null;
        for (Registration<K, V> r : registrations) {
            for (Event<K, V> e : events) {
                try {
                    if (!interested(r.listener(), e.getEventType())) {
                        continue;
                    }
                    if (r.filter() != null && !((CacheEntryEventFilter<K, V>) r.filter()).evaluate(e)) {
                        continue;
                    }
                    List<CacheEntryEvent<? extends K, ? extends V>> one = List.of(e);
                    switch (e.getEventType()) {
                        case CREATED -> ((CacheEntryCreatedListener<K, V>) r.listener()).onCreated(one);
                        case UPDATED -> ((CacheEntryUpdatedListener<K, V>) r.listener()).onUpdated(one);
                        case REMOVED -> ((CacheEntryRemovedListener<K, V>) r.listener()).onRemoved(one);
                        case EXPIRED -> ((CacheEntryExpiredListener<K, V>) r.listener()).onExpired(one);
                        default -> throw new IllegalStateException("unknown event type " + e.getEventType());
                    }
                } catch (RuntimeException ex) {
                    if (failure == null) {
                        failure = ex instanceof CacheEntryListenerException ? ex
                                : new CacheEntryListenerException(ex);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static boolean interested(CacheEntryListener<?, ?> listener, EventType type) {
        return switch (type) {
            case CREATED -> listener instanceof CacheEntryCreatedListener;
            case UPDATED -> listener instanceof CacheEntryUpdatedListener;
            case REMOVED -> listener instanceof CacheEntryRemovedListener;
            case EXPIRED -> listener instanceof CacheEntryExpiredListener;
        };
    }
}
