package io.brickworks.cache;

/** A tenant binding made by {@link Tenants#bind(String)}; closing it restores the previous one. */
public interface TenantScope extends AutoCloseable {

    /** The tenant this scope bound. */
    String tenant();

    /** Restores the binding that was in place before this scope. Idempotent; call it on the same thread. */
    @Override
    void close();
}
