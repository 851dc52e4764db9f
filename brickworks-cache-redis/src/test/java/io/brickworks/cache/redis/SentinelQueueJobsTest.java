package io.brickworks.cache.redis;

import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.tck.QueueJobsContract;
import java.util.OptionalLong;

/** The job features of acknowledged queues (limits, deduplication, priorities, pause, progress) on a primary found through Sentinel. */
class SentinelQueueJobsTest extends QueueJobsContract {

    @Override
    protected CacheSettings.Builder settings() {
        return SharedTopologies.sentinelSettings();
    }

    @Override
    protected void clearStore() {
        SharedTopologies.sentinel().flushAll();
    }

    @Override
    protected OptionalLong storedKeyCount() {
        return OptionalLong.of(Long.parseLong(SharedTopologies.sentinel().primary().cli("DBSIZE")));
    }
}
