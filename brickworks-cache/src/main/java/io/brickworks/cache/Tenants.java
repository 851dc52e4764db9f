package io.brickworks.cache;

import io.brickworks.cache.internal.Names;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Binds the current tenant to the calling thread for the length of a scope, the Java form of the
 * original's tenant context. The binding is restored when the scope ends, so scopes nest:
 *
 * <pre>{@code
 * try (TenantScope scope = Tenants.bind("acme")) {
 *     cache.setKey("k", "v").join();          // brickworks:acme:default:k
 * }
 * }</pre>
 *
 * <p>The cache reads the binding once, when a method is called; work that continues on another
 * thread keeps the tenant it was called with. To carry a tenant explicitly, use
 * {@link BrickworksCache#forTenant(String)}.
 */
public final class Tenants {

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private Tenants() {
    }

    /** The tenant bound to this thread, if any. */
    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Binds {@code tenant} to this thread until the returned scope is closed, which restores the
     * previous binding.
     *
     * <p>A cache with multi-tenancy off ({@code MULTI_TENANCY_ENABLED=0}, the default) works in the master
     * tenant whatever is bound; the first call that finds a tenant bound logs a warning, once per cache
     * (a warning rather than an error, so that code that binds the tenant of every request runs unchanged
     * in a single-tenant deployment, as with the Python original). Use
     * {@link BrickworksCache#forTenant(String)} for a tenant that must be honoured in either mode.
     *
     * @throws IllegalArgumentException when {@code tenant} is null, empty or contains a colon
     */
    public static TenantScope bind(String tenant) {
        Names.check("tenant", tenant);
        String previous = CURRENT.get();
        CURRENT.set(tenant);
        Thread owner = Thread.currentThread();
        return new TenantScope() {
            private boolean closed;

            @Override
            public String tenant() {
                return tenant;
            }

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                if (Thread.currentThread() != owner) {
                    throw new IllegalStateException("a TenantScope must be closed on the thread that opened it ("
                            + owner.getName() + ") but was closed on " + Thread.currentThread().getName());
                }
                closed = true;
                if (previous == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(previous);
                }
            }
        };
    }

    /** Runs {@code work} with {@code tenant} bound, restoring the previous binding afterwards. */
    public static void run(String tenant, Runnable work) {
        Names.checkNotNull("work", work);
        try (TenantScope ignored = bind(tenant)) {
            work.run();
        }
    }

    /** Calls {@code work} with {@code tenant} bound and returns its result. */
    public static <T> T call(String tenant, Callable<T> work) throws Exception {
        Names.checkNotNull("work", work);
        try (TenantScope ignored = bind(tenant)) {
            return work.call();
        }
    }
}
