package io.brickworks.cache.admin;

import java.util.Map;

/**
 * What {@link CacheAdmin#purgeTenant} deleted, or would delete.
 *
 * @param tenant the purged tenant
 * @param dryRun whether nothing was deleted
 * @param locksIncluded whether the lock namespace was purged too
 * @param keysByNamespace the keys found (and, unless a dry run, deleted), by namespace (sorted)
 * @param deleted how many keys the deletes removed (0 in a dry run; can be below the keys found
 *     when some expired or were deleted by others meanwhile)
 */
public record PurgeReport(String tenant, boolean dryRun, boolean locksIncluded, Map<String, Long> keysByNamespace,
                          long deleted) {

    /** The number of keys found. */
    public long keys() {
        return keysByNamespace.values().stream().mapToLong(Long::longValue).sum();
    }
}
