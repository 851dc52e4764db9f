package io.brickworks.cache.admin;

import java.util.Map;

/**
 * What {@link CacheAdmin#purgeTenant} deleted, or would delete.
 *
 * @param tenant the purged tenant
 * @param dryRun whether nothing was deleted
 * @param locksIncluded whether the lock namespace was purged too
 * @param keysByNamespace the keys found (and, unless a dry run, deleted), by namespace (sorted);
 *     an acknowledged queue's records count in the queue's namespace
 * @param deleted how many keys the deletes removed (0 in a dry run; can be below the keys found
 *     when some expired or were deleted by others meanwhile)
 * @param remaining how many keys of the purge's scope a second walk, after the deletes, still found
 *     (0 in a dry run): keys that could not be deleted, or were written during the purge
 */
public record PurgeReport(String tenant, boolean dryRun, boolean locksIncluded, Map<String, Long> keysByNamespace,
                          long deleted, long remaining) {

    /** The number of keys found. */
    public long keys() {
        return keysByNamespace.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether nothing of the purge's scope is left (always true for a dry run). */
    public boolean complete() {
        return remaining == 0;
    }
}
