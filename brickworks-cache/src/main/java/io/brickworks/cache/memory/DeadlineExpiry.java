package io.brickworks.cache.memory;

import com.github.benmanes.caffeine.cache.Expiry;
import io.brickworks.cache.spi.LocalTier;

/**
 * Caffeine's expiry of entries that carry their own {@link LocalTier.Entry#deadline() deadline}:
 * creations and updates take it from the entry, reads leave it as it is. For the memory backend's
 * locks and fencing counters, whose expiry is reclaimed in the background.
 */
final class DeadlineExpiry<E extends LocalTier.Entry> implements Expiry<String, E> {

    private static final DeadlineExpiry<LocalTier.Entry> INSTANCE = new DeadlineExpiry<>();

    private DeadlineExpiry() {
    }

    /** The expiry; stateless, shared. */
    @SuppressWarnings("unchecked")
    static <E extends LocalTier.Entry> DeadlineExpiry<E> instance() {
        return (DeadlineExpiry<E>) INSTANCE;
    }

    @Override
    public long expireAfterCreate(String key, E entry, long now) {
        return remaining(entry, now);
    }

    @Override
    public long expireAfterUpdate(String key, E entry, long now, long currentDuration) {
        return remaining(entry, now);
    }

    @Override
    public long expireAfterRead(String key, E entry, long now, long currentDuration) {
        return currentDuration;
    }

    private static long remaining(LocalTier.Entry entry, long now) {
        long deadline = entry.deadline();
        return deadline == LocalTier.NO_DEADLINE ? Long.MAX_VALUE : Math.max(0, deadline - now);
    }
}
