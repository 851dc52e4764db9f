package io.brickworks.cache.lock.internal;

/**
 * A lock, already named and scoped: its plain name and tenant (for handles and messages) and the
 * full keys of the lock and of its fencing counter.
 */
public record LockTarget(String name, String tenant, String key, String fenceKey) {
}
