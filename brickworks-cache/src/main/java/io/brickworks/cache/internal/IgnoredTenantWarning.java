package io.brickworks.cache.internal;

import io.brickworks.cache.Tenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time warning of a cache with multi-tenancy off that is called while a tenant is bound with
 * {@link Tenants#bind(String)}: the call works in the master tenant, which the application may not
 * expect.
 *
 * <p>A warning and not an error, because binding a tenant is how an application that supports both
 * modes marks its requests (a web filter binds the tenant of each request whatever the deployment),
 * and the Python original ignores the tenant the same way when multi-tenancy is off; failing would
 * break such an application in its single-tenant deployments. Once per cache, so a hot path does not
 * log on every call; after it, the check costs one field read.
 */
final class IgnoredTenantWarning {

    private static final Logger LOG = LoggerFactory.getLogger("io.brickworks.cache");

    private volatile boolean warned;

    /** Logs the warning if a tenant is bound to this thread and it was not logged before. */
    void check(String masterTenant) {
        if (warned) {
            return;
        }
        Tenants.current().ifPresent(tenant -> {
            warned = true;
            String shown = Names.show(tenant);
            LOG.warn("tenant {} is bound with Tenants.bind but multi-tenancy is off (MULTI_TENANCY_ENABLED=0): "
                    + "calls work in the master tenant {}. Enable multi-tenancy, or use cache.forTenant({}) "
                    + "for a view bound to that tenant. Logged once per cache.", shown, Names.show(masterTenant), shown);
        });
    }
}
