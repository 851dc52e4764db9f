package io.brickworks.cache.admin;

/**
 * A queue that has items or acknowledged-queue records, with the number of items in each state.
 *
 * @param tenant the queue's tenant
 * @param namespace the queue's namespace
 * @param name the queue's name
 * @param waiting items not yet delivered: the queue's list plus the items a waiting receiver moved
 *     aside and has not yet taken
 * @param delayed items of the acknowledged queue waiting for their time (delayed pushes, and
 *     returned items until they are due)
 * @param inFlight delivered items not yet acknowledged
 * @param dead dead letters
 */
public record QueueInfo(String tenant, String namespace, String name, long waiting, long delayed, long inFlight,
                        long dead) {

    /** A plain queue (a list without acknowledged-queue records) of {@code waiting} items. */
    public static QueueInfo plain(String tenant, String namespace, String name, long waiting) {
        return new QueueInfo(tenant, namespace, name, waiting, 0, 0, 0);
    }
}
