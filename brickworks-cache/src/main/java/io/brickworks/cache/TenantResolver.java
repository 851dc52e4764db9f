package io.brickworks.cache;

import java.util.Optional;

/**
 * Supplies the current tenant to a cache, once per call, on the calling thread. The default
 * resolver reads what the application bound with {@link Tenants#bind(String)}; a framework
 * integration can supply its own (for example from a request-scoped bean).
 *
 * <p>Called on the thread that invokes a cache method, before anything is sent; never called again
 * on an I/O thread. Must be thread-safe.
 */
@FunctionalInterface
public interface TenantResolver {

    /** The current tenant's name, or empty when none is bound. */
    Optional<String> currentTenant();

    /** The resolver that reads {@link Tenants#current()}. */
    static TenantResolver bound() {
        return Tenants::current;
    }
}
