package io.brickworks.cache.admin;

import java.util.Map;

/**
 * A tenant that has keys.
 *
 * @param tenant the tenant's name (its key segment)
 * @param keysByNamespace the number of keys in each namespace, by namespace name (sorted)
 */
public record TenantUsage(String tenant, Map<String, Long> keysByNamespace) {

    /** The number of keys of the tenant. */
    public long keys() {
        return keysByNamespace.values().stream().mapToLong(Long::longValue).sum();
    }
}
